import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs exporters for the server: at most WORKERS runs at once (later requests wait their turn until
 * their deadline), each with a fresh temporary directory that is removed afterwards. An exporter runs
 * in a warm worker JVM (the default) or in a fresh JVM per run (when its script or EXPORTER_MODES says
 * so). Each exporter is built through JBang once; later runs use the cached command.
 */
final class ExporterRunner {
    private final ExporterLocator locator;
    private final ExporterCommands commands;
    private final ServerConfig config;
    private final ServerMetrics metrics;
    private final Semaphore slots;
    private final Path temporaryRoot;
    private final Set<ProcessHandle> running = ConcurrentHashMap.newKeySet();
    private final Map<String, WorkerPool> pools = new ConcurrentHashMap<>();
    private final Map<Path, Known> known = new ConcurrentHashMap<>();
    private final Map<Path, Object> buildLocks = new ConcurrentHashMap<>();
    private final WorkerPool.Limits limits;

    /** How a request for an exporter ended. */
    sealed interface Outcome {
        /** No exporter of that name. */
        record NotFound(String name) implements Outcome {
        }

        /** The exporter could not be built (a compile error, a dependency that cannot be resolved). */
        record BuildFailed(String message) implements Outcome {
        }

        /** The deadline passed before a slot (or a worker) was ready. */
        record NoWorker() implements Outcome {
        }

        /** The exporter ran (or was killed at its deadline). */
        record Ran(ExporterProcess.Result result) implements Outcome {
        }
    }

    /** A resolved exporter and the size and time of each of its sources when it was resolved. */
    private record Known(ExporterCommands.Resolved resolved, List<String> stamps) {
    }

    ExporterRunner(ExporterLocator locator, ExporterCommands commands, ServerConfig config, ServerMetrics metrics,
            Path temporaryRoot) {
        this.locator = locator;
        this.commands = commands;
        this.config = config;
        this.metrics = metrics;
        this.slots = new Semaphore(config.workers(), true);
        this.temporaryRoot = temporaryRoot;
        this.limits = new WorkerPool.Limits(config.workerMaxRuns(), config.workerMaxMegabytes() * 1024L * 1024L,
                TimeUnit.MINUTES.toNanos(10));
    }

    Map<String, Path> exporters() {
        return locator.all();
    }

    /** Builds (or checks) every exporter present, so that first requests do not wait for JBang; returns the failures. */
    Map<String, String> prepareAll() {
        Map<String, String> failures = new java.util.TreeMap<>();
        locator.all().forEach((name, source) -> {
            try {
                resolve(source);
            } catch (IOException e) {
                failures.put(name, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return failures;
    }

    Outcome run(String name, List<String> arguments, long deadlineNanos) throws InterruptedException, IOException {
        Optional<Path> source = locator.find(name);
        if (source.isEmpty()) {
            return new Outcome.NotFound(name);
        }
        ExporterCommands.Resolved resolved;
        try {
            resolved = resolve(source.get());
        } catch (IOException e) {
            return new Outcome.BuildFailed(e.getMessage());
        }
        ExporterCommands.Mode mode = mode(name, resolved);
        metrics.mode(path(name), mode.label());
        if (!slots.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return new Outcome.NoWorker();
        }
        Path runDirectory = Files.createTempDirectory(temporaryRoot, name + "-");
        try {
            if (mode == ExporterCommands.Mode.FRESH) {
                return new Outcome.Ran(ExporterProcess.run(resolved, arguments, runDirectory, deadlineNanos,
                        running));
            }
            return runWarm(name, resolved, arguments, runDirectory, deadlineNanos);
        } finally {
            slots.release();
            Cache.deleteRecursively(runDirectory);
        }
    }

    private Outcome runWarm(String name, ExporterCommands.Resolved resolved, List<String> arguments, Path runDirectory,
            long deadlineNanos) throws IOException, InterruptedException {
        WorkerPool pool = pool(name);
        Worker worker = pool.acquire(resolved, deadlineNanos);
        if (worker == null) {
            return new Outcome.NoWorker();
        }
        List<String> all = new ArrayList<>(arguments);
        all.addAll(ExporterProcess.outputOptions(runDirectory));
        Integer exitCode = null;
        try {
            exitCode = worker.run(runDirectory, all, deadlineNanos);
        } finally {
            pool.release(worker, exitCode);
        }
        return new Outcome.Ran(ExporterProcess.collect(exitCode, runDirectory));
    }

    private ExporterCommands.Mode mode(String name, ExporterCommands.Resolved resolved) {
        String override = config.modes().get(name);
        return override == null ? resolved.mode() : ExporterCommands.Mode.valueOf(override.toUpperCase(java.util.Locale.ROOT));
    }

    private WorkerPool pool(String name) {
        return pools.computeIfAbsent(name, any -> new WorkerPool(path(name), limits, metrics));
    }

    private static String path(String name) {
        return "/metrics/" + name;
    }

    /**
     * The resolved command, without reading the cache file or hashing sources while no source's size or
     * modification time changed; one resolution at a time per exporter, so concurrent first requests share a build.
     */
    private ExporterCommands.Resolved resolve(Path source) throws IOException, InterruptedException {
        Known current = known.get(source);
        if (current != null && current.stamps().equals(stamps(current.resolved().sources()))) {
            return current.resolved();
        }
        synchronized (buildLocks.computeIfAbsent(source, any -> new Object())) {
            ExporterCommands.Resolved resolved = commands.resolve(source);
            known.put(source, new Known(resolved, stamps(resolved.sources())));
            return resolved;
        }
    }

    private static List<String> stamps(List<Path> files) {
        List<String> stamps = new ArrayList<>(files.size());
        for (Path file : files) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                stamps.add(attributes.size() + "@" + attributes.lastModifiedTime().toMillis());
            } catch (IOException e) {
                stamps.add("missing");
            }
        }
        return stamps;
    }

    /** Retires idle workers past their time (called periodically). */
    void retireIdleWorkers() {
        pools.values().forEach(WorkerPool::retireIdle);
    }

    /** Kills whatever still runs (at shutdown, once in-flight requests had their chance). */
    int killAll() {
        int killed = 0;
        for (ProcessHandle process : running) {
            killed += ProcessGroups.kill(process);
        }
        for (WorkerPool pool : pools.values()) {
            killed += pool.retireAll();
        }
        return killed;
    }
}
