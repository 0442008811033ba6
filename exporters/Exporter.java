//DEPS info.picocli:picocli:4.7.7
//DEPS io.prometheus:simpleclient:0.16.0
//COMPILE_OPTIONS -encoding UTF-8
//SOURCES harness/ExitCodes.java harness/RunOptions.java harness/Exposition.java harness/Push.java harness/RunHarness.java
//SOURCES worker/WorkerProtocol.java worker/RunCapture.java worker/WorkerMain.java

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Summary;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The base class of every exporter. A subclass declares its options as picocli {@code @Option}
 * fields, fills {@link #metrics} in {@link #gatherMetrics()} and has a one-line main:
 * {@code Exporter.runAndExit(new myexp(), args);}
 *
 * <p>Every run gets a new instance and so a new registry. Under the server, runs of one exporter may run at the
 * same time in one JVM, each on a thread of its own: keep state in the instance, not in static fields (or say
 * {@code //METRICS_MODE serial} in the script). simpleclient's metrics are thread-safe: unlike the original
 * Python client, an exporter may update them from its own threads.
 */
@Command(sortOptions = false, usageHelpAutoWidth = true)
public abstract class Exporter {

    /** The registry of this run: never {@code CollectorRegistry.defaultRegistry}. */
    protected final CollectorRegistry metrics = new CollectorRegistry();

    @Option(names = "--debug", description = "Turn on debug mode (the exporter may print more to stderr).")
    protected boolean debug;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this exporter's options and exit.")
    boolean help;

    @Mixin
    RunOptions runOptions = new RunOptions();

    private Summary executionSeconds;

    /** Reads the target and fills {@link #metrics}. May throw: the run then fails with exit code 1. */
    public abstract void gatherMetrics() throws Exception;

    /**
     * A bad option value or combination that only {@link #gatherMetrics()} can see: {@code throw usage("...")}.
     * The run prints it like picocli's own errors, the message then a pointer to --help, and exits with 2.
     */
    protected static RuntimeException usage(String message) {
        return new UsageError(message);
    }

    /** See {@link #usage(String)}. */
    public static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message, null, false, false);
        }
    }

    /** The Pushgateway job this exporter's metrics are pushed under: its name, as the original did. */
    public String jobName() {
        return getClass().getSimpleName();
    }

    /** The whole of an exporter's main: {@link #run} it, then end the JVM with the run's exit code. */
    public static void runAndExit(Exporter exporter, String... args) {
        System.exit(run(exporter, args));
    }

    /** Parses {@code args}, gathers, then prints, writes and pushes as asked; returns the exit code. */
    public static int run(Exporter exporter, String... args) {
        return RunHarness.run(exporter, args, System.out, System.err);
    }

    // ---- timing helpers: the original's lib/timing ----

    /** Something to time that returns nothing and may throw. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    /** Runs {@code work} and records its duration as {@code execution_seconds{function="<Class>.<name>"}}. */
    protected final <T> T observed(String name, Callable<T> work) throws Exception {
        try (Observation ignored = observe(name)) {
            return work.call();
        }
    }

    /** Like {@link #observed(String, Callable)} for work without a result. */
    protected final void observed(String name, Work work) throws Exception {
        try (Observation ignored = observe(name)) {
            work.run();
        }
    }

    /** Starts timing a block; closing it (try-with-resources) records the duration. */
    protected final Observation observe(String name) {
        return new Observation(executionSeconds().labels(getClass().getSimpleName() + "." + name));
    }

    /** A plain stopwatch that records nothing. */
    protected static Timer timer() {
        return new Timer();
    }

    private synchronized Summary executionSeconds() {
        if (executionSeconds == null) {
            executionSeconds = Summary.build()
                    .name("execution_seconds")
                    .help("Summary of time spent executing something")
                    .labelNames("function")
                    .register(metrics);
        }
        return executionSeconds;
    }

    /** Rounds to milliseconds, as the original did. */
    static double millisecondsPrecision(long nanos) {
        return Math.round(nanos / 1_000_000.0) / 1000.0;
    }

    /** A running measurement of {@code execution_seconds}; see {@link #observe(String)}. */
    public static final class Observation implements AutoCloseable {
        private final Summary.Child child;
        private final long start = System.nanoTime();

        Observation(Summary.Child child) {
            this.child = child;
        }

        @Override
        public void close() {
            child.observe(millisecondsPrecision(System.nanoTime() - start));
        }
    }

    /** A stopwatch: {@link #seconds()} is the time since it was made, rounded to milliseconds. */
    public static final class Timer {
        private final long start = System.nanoTime();

        public double seconds() {
            return millisecondsPrecision(System.nanoTime() - start);
        }
    }
}
