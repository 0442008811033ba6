import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Polls every target, every group of a target at once: a run takes about as long as the slowest walk of
 * the slowest target, and a dead target costs one request bound (timeout × tries), not one per group.
 */
final class TargetPoller {
    /** Enough threads for all walks to wait at once; a walk spends its life waiting for UDP answers. */
    private static final int MAX_THREADS = 256;

    /** Makes the client of one target (the snmp4j session, or recorded answers in tests). */
    @FunctionalInterface
    interface Clients {
        SnmpClient client(TargetAddress target) throws IOException;
    }

    private record Walked(SnmpTable table, double seconds, String error) {
    }

    private TargetPoller() {
    }

    static List<TargetReading> poll(List<TargetAddress> targets, Clients clients, int maxRepetitions)
            throws InterruptedException {
        PollGroup[] groups = PollGroup.values();
        int tasks = targets.size() * groups.length;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(tasks, MAX_THREADS), daemonThreads());
        try {
            List<Future<Walked>> futures = new ArrayList<>();
            for (TargetAddress target : targets) {
                for (PollGroup group : groups) {
                    futures.add(pool.submit(() -> walk(clients, target, group, maxRepetitions)));
                }
            }
            List<TargetReading> readings = new ArrayList<>();
            for (int t = 0; t < targets.size(); t++) {
                Map<PollGroup, SnmpTable> tables = new EnumMap<>(PollGroup.class);
                Map<PollGroup, Double> seconds = new EnumMap<>(PollGroup.class);
                Map<PollGroup, String> errors = new EnumMap<>(PollGroup.class);
                for (int g = 0; g < groups.length; g++) {
                    Walked walked = result(futures.get(t * groups.length + g));
                    seconds.put(groups[g], walked.seconds());
                    if (walked.error() == null) {
                        tables.put(groups[g], walked.table());
                    } else {
                        errors.put(groups[g], walked.error());
                    }
                }
                readings.add(new TargetReading(targets.get(t).text(), tables, seconds, errors));
            }
            return readings;
        } finally {
            pool.shutdownNow(); // nothing outlives the run: a later issue runs many in one JVM
        }
    }

    private static Walked walk(Clients clients, TargetAddress target, PollGroup group, int maxRepetitions) {
        long start = System.nanoTime();
        try {
            SnmpTable table = SnmpWalker.walk(clients.client(target), group.scalars, group.columns, maxRepetitions);
            return new Walked(table, elapsed(start), null);
        } catch (IOException | RuntimeException e) {
            String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
            if (e instanceof java.net.UnknownHostException) {
                message = "unknown host " + message;
            }
            return new Walked(null, elapsed(start), message);
        }
    }

    private static Walked result(Future<Walked> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) { // walk() catches what a walk throws; this is a bug, so say so
            throw new IllegalStateException(e.getCause());
        }
    }

    private static double elapsed(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "cisco-walk-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
