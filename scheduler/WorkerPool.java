import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The workers of one exporter and the runs waiting for one. Warm: up to WORKERS JVMs, each running many runs at
 * once; a run goes to the least busy, and another JVM starts when every one is busy. Serial: the same, one run at
 * a time per JVM. Fresh: a JVM per run. A worker is drained (given no new runs) when its sources changed, after
 * it ran past a deadline and did not stop within the grace period, when a run left threads behind, after
 * WORKER_MAX_RUNS runs, past WORKER_MAX_MB of memory, or when idle too long; it is killed with its process group
 * once every run it holds has been answered. Everything here happens under the pool's lock.
 */
final class WorkerPool implements WorkerConnection.Listener {
    /** Why a worker was retired: the label of server_worker_restarts_total. */
    enum Retirement {
        DEADLINE, CRASHED, SOURCE_CHANGED, CONFIG_CHANGED, LEFTOVERS, MAX_RUNS, MEMORY, IDLE, SHUTDOWN;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Limits every pool shares. */
    record Limits(int workers, int maxRuns, long maxResidentBytes, long idleNanos, long graceNanos,
            long startTimeoutNanos, long timeoutNanos) {
    }

    private static final long MEMORY_CHECK_INTERVAL_NANOS = 1_000_000_000L;

    private final String exporter;
    private final String module;
    private final String path;
    private final Limits limits;
    private final ServerMetrics metrics;
    private final WorkerSockets sockets;
    private final Executor background;
    private final ScheduledExecutorService timer;
    private final List<WorkerConnection> workers = new ArrayList<>();
    private final Deque<Run> waiting = new ArrayDeque<>();
    private final BitSet slots = new BitSet();
    private BuiltExporter built;
    private BuiltExporter.Mode mode = BuiltExporter.Mode.WARM;
    private Map<String, String> environment = Map.of();
    private boolean closed;
    /** A run went to a worker that had runs already: warm pools then start another JVM, up to WORKERS. */
    private boolean concurrent;
    private long lastDispatchNanos = System.nanoTime() - Long.MAX_VALUE / 2;

    WorkerPool(String exporter, String module, Limits limits, ServerMetrics metrics, WorkerSockets sockets,
            Executor background, ScheduledExecutorService timer) {
        this.exporter = exporter;
        this.module = module == null ? "" : module;
        this.path = "/metrics/" + exporter;
        this.limits = limits;
        this.metrics = metrics;
        this.sockets = sockets;
        this.background = background;
        this.timer = timer;
    }

    /** Takes a run whose exporter is built: to a worker now, or into the queue until one is ready or free. */
    synchronized void dispatch(Run run, BuiltExporter built, BuiltExporter.Mode mode, Map<String, String> environment) {
        run.pool = this;
        if (closed) {
            run.answer(new RunResult.Stopping());
        }
        if (run.answered()) {
            run.end();
            return;
        }
        if (this.mode != mode) {
            metrics.mode(path, mode.label());
        }
        if (!environment.equals(this.environment)) { // the module's settings changed: a reload
            workers.forEach(worker -> drain(worker, Retirement.CONFIG_CHANGED));
        }
        this.built = built;
        this.mode = mode;
        this.environment = environment;
        for (WorkerConnection worker : workers) {
            if (!worker.fingerprint.equals(built.fingerprint()) || worker.mode != mode) {
                drain(worker, Retirement.SOURCE_CHANGED);
            }
        }
        run.phase = Run.Phase.WAITING;
        waiting.addLast(run);
        lastDispatchNanos = System.nanoTime();
        pump();
    }

    /** The run's deadline has come: answer it now (504), and interrupt it if a worker has it. */
    synchronized void expire(Run run) {
        if (run.phase == Run.Phase.WAITING) {
            if (run.answer(new RunResult.NoWorker(waitingFor()))) {
                waiting.remove(run);
                run.end();
            }
        } else if (run.phase == Run.Phase.RUNNING && run.answer(new RunResult.TimedOut(run.secondsSinceAdmitted()))) {
            run.worker.cancel(run);
            timer.schedule(() -> checkStopped(run), limits.graceNanos(), TimeUnit.NANOSECONDS);
        }
        pump();
    }

    private String waitingFor() {
        if (workers.stream().noneMatch(worker -> worker.ready)) {
            return "its worker JVM was still starting";
        }
        return mode == BuiltExporter.Mode.WARM ? "no worker was ready" : "every worker was busy (serial: one run each)";
    }

    /** A cancelled run that has not ended within the grace period: its worker takes no more runs. */
    private synchronized void checkStopped(Run run) {
        WorkerConnection worker = run.worker;
        if (worker != null && worker.inFlight.get(run.id) == run && worker.draining == null) {
            System.err.println("server: a run of " + exporter + " ignored its interruption for "
                    + TimeUnit.NANOSECONDS.toMillis(limits.graceNanos()) + " ms after its deadline: its worker (pid "
                    + worker.pid() + ") takes no more runs and is killed once its other runs are answered");
            drain(worker, Retirement.DEADLINE);
            pump();
        }
    }

    @Override
    public synchronized void ready(WorkerConnection worker) {
        worker.ready = true;
        worker.idleSinceNanos = System.nanoTime();
        pump();
    }

    @Override
    public synchronized void finished(WorkerConnection worker, WorkerProtocol.Result result) {
        Run run = worker.inFlight.get(result.id());
        if (run == null) {
            return;
        }
        if (result.exitCode() == WorkerProtocol.EXITING) { // System.exit in the worker: its output, before it goes
            run.lastWords = result;
            return;
        }
        worker.inFlight.remove(result.id());
        worker.runs++;
        if (worker.inFlight.isEmpty()) {
            worker.idleSinceNanos = System.nanoTime();
            if (!worker.childrenCheckPending) { // one look at /proc per grace period, not one per run
                worker.childrenCheckPending = true;
                timer.schedule(() -> checkChildren(worker, 0), limits.graceNanos(), TimeUnit.NANOSECONDS);
            }
        }
        run.end();
        run.answer(new RunResult.Finished(result.exitCode(), result.metrics(), result.stdout(), result.stderr()));
        if (mode == BuiltExporter.Mode.FRESH) {
            drain(worker, Retirement.MAX_RUNS);
        } else {
            metrics.workerRuns(path, module, worker.slot, worker.runs);
            if (worker.runs >= limits.maxRuns()) {
                drain(worker, Retirement.MAX_RUNS);
            } else if (System.nanoTime() - worker.memoryCheckedNanos > MEMORY_CHECK_INTERVAL_NANOS) {
                worker.memoryCheckedNanos = System.nanoTime(); // /proc at most once a second: not a read per run
                if (worker.residentBytes() > limits.maxResidentBytes()) {
                    drain(worker, Retirement.MEMORY);
                }
            }
        }
        pump();
    }

    @Override
    public synchronized void leftovers(WorkerConnection worker, WorkerProtocol.Leftovers leftovers) {
        if (worker.draining == null) {
            System.err.println("server: a run of " + exporter + " left threads running " + leftovers.threads()
                    + ": its worker (pid " + worker.pid() + ") takes no more runs and is replaced");
            drain(worker, Retirement.LEFTOVERS);
            pump();
        }
    }

    /**
     * Processes a worker's runs started and left running. Runs share the worker, so a child cannot be told apart
     * by run: children alive once no run is in flight, or older than any run may live ({@code olderThanNanos}),
     * were left behind. The worker then takes no more runs, and goes with its process group. /proc is read
     * outside the lock (it takes milliseconds, and runs wait for the lock); a run sent meanwhile voids the look.
     */
    private void checkChildren(WorkerConnection worker, long olderThanNanos) {
        long sent;
        synchronized (this) {
            if (olderThanNanos == 0) {
                long idleFor = System.nanoTime() - worker.idleSinceNanos;
                if (worker.draining == null && worker.inFlight.isEmpty() && idleFor < limits.graceNanos()) {
                    // idle again since this look was scheduled: the grace counts from the last run's end
                    timer.schedule(() -> checkChildren(worker, 0), limits.graceNanos() - idleFor, TimeUnit.NANOSECONDS);
                    return;
                }
                worker.childrenCheckPending = false;
            }
            if (worker.draining != null || olderThanNanos == 0 && !worker.inFlight.isEmpty()) {
                return;
            }
            sent = worker.sent;
        }
        java.time.Instant bound = java.time.Instant.now().minusNanos(olderThanNanos);
        List<String> left = worker.children().stream()
                .filter(child -> child.info().startInstant().map(start -> !start.isAfter(bound)).orElse(true))
                .map(child -> child.pid() + " " + child.info().command().orElse("?"))
                .toList();
        if (left.isEmpty()) {
            return;
        }
        synchronized (this) {
            if (worker.draining != null || olderThanNanos == 0 && worker.sent != sent) {
                return;
            }
            System.err.println("server: runs of " + exporter + " left processes running " + left + ": its worker (pid "
                    + worker.pid() + ") takes no more runs and is killed with them");
            drain(worker, Retirement.LEFTOVERS);
            pump();
        }
    }

    @Override
    public synchronized void ended(WorkerConnection worker, String why) {
        workers.remove(worker);
        Retirement reason = worker.draining != null ? worker.draining : Retirement.CRASHED;
        slots.clear(worker.slot);
        if (mode != BuiltExporter.Mode.FRESH) {
            metrics.workerRetired(path, module, reason.label(), workers.size(), worker.slot);
        }
        if (reason == Retirement.CRASHED) {
            System.err.println("server: worker of " + exporter + " (pid " + worker.pid() + ") " + why);
        }
        int exitCode = worker.exitCode();
        for (Run run : worker.inFlight.values()) {
            WorkerProtocol.Result words = run.lastWords;
            String note = "worker: the worker JVM running this run " + why + "\n";
            run.end();
            run.answer(new RunResult.Finished(exitCode, null, words == null ? "" : words.stdout(),
                    (words == null ? "" : words.stderr()) + note));
        }
        worker.inFlight.clear();
        if (!worker.ready && workers.stream().noneMatch(other -> other.ready)) {
            // it never started, and no other worker serves: the runs waiting would only start more that fail
            for (Run run; (run = waiting.pollFirst()) != null; ) {
                run.answer(new RunResult.WorkerFailed("its worker JVM " + why));
                run.end();
            }
        }
        pump();
    }

    /** Retires workers idle for longer than the limit, and those with children older than any run (periodically). */
    void retireIdle() {
        List<WorkerConnection> serving = new ArrayList<>();
        synchronized (this) {
            long now = System.nanoTime();
            for (WorkerConnection worker : List.copyOf(workers)) {
                if (worker.ready && worker.inFlight.isEmpty() && now - worker.idleSinceNanos > limits.idleNanos()) {
                    drain(worker, Retirement.IDLE);
                } else if (worker.ready) {
                    serving.add(worker);
                }
            }
            pump();
        }
        for (WorkerConnection worker : serving) {
            checkChildren(worker, limits.timeoutNanos() + limits.graceNanos());
        }
    }

    /** Shutdown: answers what waits, and kills every worker, busy or not; how many there were. */
    synchronized List<WorkerConnection> close() {
        closed = true;
        for (Run run; (run = waiting.pollFirst()) != null; ) {
            run.answer(new RunResult.Stopping());
            run.end();
        }
        List<WorkerConnection> all = new ArrayList<>(workers);
        all.forEach(worker -> drain(worker, Retirement.SHUTDOWN));
        return all;
    }

    /** Workers alive now (starting, serving or draining). */
    synchronized int size() {
        return workers.size();
    }

    private void drain(WorkerConnection worker, Retirement reason) {
        if (worker.draining == null) {
            worker.draining = reason;
        }
    }

    /** Sends waiting runs to workers that can take them, starts workers where needed, kills drained ones. */
    private void pump() {
        while (!waiting.isEmpty()) {
            Run run = waiting.peekFirst();
            if (run.answered()) {
                waiting.pollFirst();
                run.end();
                continue;
            }
            WorkerConnection worker = pick();
            if (worker == null) {
                break;
            }
            waiting.pollFirst();
            concurrent |= !worker.inFlight.isEmpty();
            worker.inFlight.put(run.id, run);
            run.worker = worker;
            run.phase = Run.Phase.RUNNING;
            worker.sent++;
            try {
                worker.send(run);
            } catch (IOException e) {
                // the worker is gone: its reader reports it, and the run fails with it
            }
        }
        if (!closed) {
            grow();
        }
        for (WorkerConnection worker : workers) {
            if (worker.draining != null && !worker.killed && worker.inFlight.values().stream().allMatch(Run::answered)) {
                worker.killed = true;
                background.execute(worker::kill);
            }
        }
    }

    /** The least busy worker that can take a run now, or null. */
    private WorkerConnection pick() {
        WorkerConnection best = null;
        for (WorkerConnection worker : workers) {
            if (worker.ready && worker.draining == null && (mode == BuiltExporter.Mode.WARM || worker.inFlight.isEmpty())
                    && (best == null || worker.inFlight.size() < best.inFlight.size())) {
                best = worker;
            }
        }
        return best;
    }

    private void grow() {
        int serving = 0;
        int starting = 0;
        int spare = 0;
        for (WorkerConnection worker : workers) {
            if (worker.draining == null) {
                serving++;
                if (!worker.ready) {
                    starting++;
                } else if (worker.inFlight.isEmpty()) {
                    spare++;
                }
            }
        }
        int size = mode == BuiltExporter.Mode.FRESH ? Integer.MAX_VALUE : limits.workers();
        if (mode == BuiltExporter.Mode.WARM) {
            boolean demand = serving == 0 ? !waiting.isEmpty() : concurrent;
            if (demand && starting == 0 && serving < size) {
                concurrent = false;
                start();
            }
        } else {
            // fresh: one JVM started ahead while the exporter is in use, so a run does not wait for a JVM's start
            int ahead = mode == BuiltExporter.Mode.FRESH
                    && System.nanoTime() - lastDispatchNanos < limits.idleNanos() ? 1 : 0;
            for (int needed = waiting.size() + ahead - starting - spare; needed > 0 && serving < size;
                    needed--, serving++) {
                start();
            }
        }
    }

    private void start() {
        int slot = slots.nextClearBit(0);
        try {
            WorkerConnection worker = WorkerConnection.start(exporter, built, mode, environment, slot, sockets, this);
            slots.set(slot);
            workers.add(worker);
            if (mode != BuiltExporter.Mode.FRESH) {
                metrics.workerStarted(path, module, workers.size());
            }
            timer.schedule(() -> startTimedOut(worker), limits.startTimeoutNanos(), TimeUnit.NANOSECONDS);
        } catch (IOException e) {
            for (Run run; (run = waiting.pollFirst()) != null; ) {
                run.answer(new RunResult.WorkerFailed("its worker JVM could not be started: " + e.getMessage()));
                run.end();
            }
        }
    }

    private synchronized void startTimedOut(WorkerConnection worker) {
        if (!worker.ready && workers.contains(worker) && !worker.killed) {
            System.err.println("server: a worker of " + exporter + " (pid " + worker.pid() + ") was not ready "
                    + TimeUnit.NANOSECONDS.toSeconds(limits.startTimeoutNanos()) + " s after its start: killed");
            worker.killed = true;
            background.execute(worker::kill);
        }
    }
}
