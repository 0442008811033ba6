import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server's run engine in this JVM (a Scheduler and its worker sockets), with worker JVMs started from the
 * test suite's own class path: the fixture exporters compiled into it, no JBang. Each exporter's mode, and how
 * long its "build" takes, are the test's to choose.
 */
final class Engine implements AutoCloseable {
    final Scheduler scheduler;
    final ServerMetrics metrics = new ServerMetrics();
    private final Path root;
    private final WorkerSockets sockets;

    private Engine(Path root, ServerSettings settings, Builds.Builder builder) throws IOException {
        this.root = root;
        Path exporters = Files.createDirectories(root.resolve("exporters"));
        for (String name : List.of("echo", "exits", "fail", "hang", "junk", "misbehave", "noop", "orphan", "unsafe")) {
            Files.writeString(exporters.resolve(name + ".java"), "// compiled into the test suite\n");
        }
        this.sockets = new WorkerSockets(Files.createDirectories(root.resolve("run")));
        this.scheduler = new Scheduler(new ExporterLocator(List.of(exporters)), new Builds(builder), settings, metrics,
                sockets);
    }

    /** An engine with the settings the environment {@code env} gives (PORT and HOST do not matter here). */
    static Engine start(Path root, Map<String, String> env) throws IOException {
        return start(root, env, Engine::fromClasspath);
    }

    static Engine start(Path root, Map<String, String> env, Builds.Builder builder) throws IOException {
        return new Engine(root, ServerSettings.fromEnvironment(env), builder);
    }

    /** A "build" of a fixture: this JVM's java and class path, the mode its script asks for. */
    static BuiltExporter fromClasspath(Path source, java.util.function.Consumer<String> progress) {
        String name = source.getFileName().toString().replace(".java", "");
        BuiltExporter.Mode mode = name.equals("unsafe") ? BuiltExporter.Mode.SERIAL
                : name.equals("orphan") ? BuiltExporter.Mode.FRESH : BuiltExporter.Mode.WARM;
        return new BuiltExporter(ProcessHandle.current().info().command().orElseThrow(), List.of(),
                System.getProperty("java.class.path"), name, mode, List.of(), "fingerprint-of-" + name);
    }

    /** Runs {@code exporter} with a deadline {@code millis} from now and waits for its answer. */
    RunResult run(String exporter, long millis, String... arguments) throws Exception {
        return submit(exporter, List.of(arguments), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis))
                .get(millis + 10_000, TimeUnit.MILLISECONDS);
    }

    /** Submits a run of {@code exporter} without a module. */
    java.util.concurrent.CompletableFuture<RunResult> submit(String exporter, List<String> arguments, long deadlineNanos) {
        return scheduler.submit(RunRequest.of(exporter, arguments), deadlineNanos);
    }

    String metricsText() {
        return metrics.text();
    }

    @Override
    public void close() throws Exception {
        scheduler.beginStopping();
        scheduler.close();
        sockets.close();
        Cache.deleteRecursively(root);
    }
}
