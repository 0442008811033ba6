import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;

/**
 * The warm workers of one exporter: idle ones wait in a stack (the most recently used first, so the
 * others can age out), busy ones are out on a run. A worker is replaced when its exporter's sources
 * changed, after it crashed or missed a deadline, after a bounded number of runs, when its memory grew
 * past the limit, and when it stayed idle too long.
 */
final class WorkerPool {
    /** Why a worker was retired: the label of server_worker_restarts_total. */
    enum Retirement {
        DEADLINE, CRASHED, SOURCE_CHANGED, MAX_RUNS, MEMORY, IDLE, SHUTDOWN;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Limits every pool shares. */
    record Limits(int maxRuns, long maxResidentBytes, long idleNanos) {
    }

    private final String path;
    private final Limits limits;
    private final ServerMetrics metrics;
    private final Deque<Worker> idle = new ArrayDeque<>();
    private final List<Worker> live = new ArrayList<>();
    private final java.util.Map<Worker, Long> idleSince = new java.util.IdentityHashMap<>();
    private final BitSet slots = new BitSet();

    WorkerPool(String path, Limits limits, ServerMetrics metrics) {
        this.path = path;
        this.limits = limits;
        this.metrics = metrics;
    }

    /** An idle worker built from {@code resolved}'s sources, or a new one (null: not ready before the deadline). */
    Worker acquire(ExporterCommands.Resolved resolved, long deadlineNanos) throws IOException, InterruptedException {
        int slot;
        synchronized (this) {
            Worker worker;
            while ((worker = idle.pollFirst()) != null) {
                idleSince.remove(worker);
                if (!worker.fingerprint.equals(resolved.fingerprint())) {
                    retire(worker, Retirement.SOURCE_CHANGED);
                } else if (!worker.isAlive()) {
                    retire(worker, Retirement.CRASHED);
                } else {
                    return worker;
                }
            }
            slot = slots.nextClearBit(0);
            slots.set(slot);
        }
        Worker started = null;
        try {
            started = Worker.start(resolved.workerCommand(), resolved.fingerprint(), slot, deadlineNanos);
            return started;
        } finally {
            synchronized (this) {
                if (started == null) {
                    slots.clear(slot);
                } else {
                    live.add(started);
                    metrics.workerStarted(path, live.size());
                }
            }
        }
    }

    /** Back from a run: kept for the next one, or retired. */
    synchronized void release(Worker worker, Integer exitCode) {
        metrics.workerRuns(path, worker.slot, worker.runs());
        if (exitCode == null) {
            retire(worker, Retirement.DEADLINE);
        } else if (!worker.isAlive()) {
            retire(worker, Retirement.CRASHED);
        } else if (worker.runs() >= limits.maxRuns()) {
            retire(worker, Retirement.MAX_RUNS);
        } else if (worker.residentBytes() > limits.maxResidentBytes()) {
            retire(worker, Retirement.MEMORY);
        } else {
            idle.addFirst(worker);
            idleSince.put(worker, System.nanoTime());
        }
    }

    /** Retires workers idle for longer than the limit. */
    synchronized void retireIdle() {
        long now = System.nanoTime();
        idle.removeIf(worker -> {
            if (now - idleSince.get(worker) > limits.idleNanos()) {
                idleSince.remove(worker);
                retire(worker, Retirement.IDLE);
                return true;
            }
            return false;
        });
    }

    /** Retires every worker, busy or not (at shutdown, once runs in flight had their chance). */
    synchronized int retireAll() {
        int count = live.size();
        for (Worker worker : new ArrayList<>(live)) {
            retire(worker, Retirement.SHUTDOWN);
        }
        idle.clear();
        return count;
    }

    private void retire(Worker worker, Retirement reason) {
        worker.kill();
        if (live.remove(worker)) {
            slots.clear(worker.slot);
            metrics.workerRetired(path, reason.label(), live.size(), worker.slot);
        }
    }
}
