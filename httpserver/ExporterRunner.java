import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs exporters for the server: at most WORKERS at once (later requests wait their turn until their
 * deadline), each in a fresh process with a fresh temporary directory that is removed afterwards.
 * Each exporter is built through JBang once; later runs use the cached java command.
 */
final class ExporterRunner {
    private final ExporterLocator locator;
    private final ExporterCommands commands;
    private final Semaphore workers;
    private final Path temporaryRoot;
    private final Set<ProcessHandle> running = ConcurrentHashMap.newKeySet();
    /** One build at a time per exporter: concurrent first requests wait for the same build. */
    private final Map<Path, Object> buildLocks = new ConcurrentHashMap<>();

    /** How a request for an exporter ended. */
    sealed interface Outcome {
        /** No exporter of that name. */
        record NotFound(String name) implements Outcome {
        }

        /** The exporter could not be built (a compile error, a dependency that cannot be resolved). */
        record BuildFailed(String message) implements Outcome {
        }

        /** The deadline passed before a worker slot was free. */
        record NoWorker() implements Outcome {
        }

        /** The exporter ran (or was killed at its deadline). */
        record Ran(ExporterProcess.Result result) implements Outcome {
        }
    }

    ExporterRunner(ExporterLocator locator, ExporterCommands commands, int workers, Path temporaryRoot) {
        this.locator = locator;
        this.commands = commands;
        this.workers = new Semaphore(workers, true);
        this.temporaryRoot = temporaryRoot;
    }

    Optional<Path> find(String name) {
        return locator.find(name);
    }

    Map<String, Path> exporters() {
        return locator.all();
    }

    /** Builds (or checks the cache of) every exporter present; returns the ones that failed with why. */
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
        List<String> command;
        try {
            command = resolve(source.get());
        } catch (IOException e) {
            return new Outcome.BuildFailed(e.getMessage());
        }
        if (!workers.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return new Outcome.NoWorker();
        }
        Path runDirectory = Files.createTempDirectory(temporaryRoot, name + "-");
        try {
            return new Outcome.Ran(ExporterProcess.run(command, arguments, runDirectory, deadlineNanos, running));
        } finally {
            workers.release();
            Cache.deleteRecursively(runDirectory);
        }
    }

    private List<String> resolve(Path source) throws IOException, InterruptedException {
        synchronized (buildLocks.computeIfAbsent(source, any -> new Object())) {
            return commands.resolve(source).command();
        }
    }

    /** Kills whatever still runs (at shutdown, once in-flight requests had their chance). */
    int killAll() {
        int killed = 0;
        for (ProcessHandle process : running) {
            killed += ProcessGroups.kill(process);
        }
        return killed;
    }
}
