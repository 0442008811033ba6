import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.nio.file.Path;

/**
 * An exporter JBang has built: how to start a JVM for it, the files it was built from (the fingerprint of
 * their content changes whenever a worker must be replaced) and how its script asks to be run by the server.
 */
record BuiltExporter(String java, List<String> runtimeOptions, String classpath, String mainClass, Mode mode,
        List<Path> sources, String fingerprint) {

    /** The line by which a script asks the server for a mode other than warm: {@code //METRICS_MODE serial}. */
    static final String MODE_DIRECTIVE = "//METRICS_MODE";
    /** A JVM that lives for one run spends less CPU without the optimizing compiler. */
    static final List<String> SHORT_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-XX:-UsePerfData");
    /**
     * A worker lives long: full JIT, one GC thread, a small young generation, a bounded heap, and an end at the
     * first OutOfMemoryError (the server replaces it). The script's own //RUNTIME_OPTIONS come after these.
     */
    static final List<String> WORKER_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xmn16m", "-Xmx256m", "-Xss512k",
            "-XX:ReservedCodeCacheSize=32m", "-XX:MaxHeapFreeRatio=30", "-XX:MinHeapFreeRatio=10",
            "-XX:+ExitOnOutOfMemoryError");

    /** How the server runs an exporter. */
    enum Mode {
        /** Warm workers, many runs at once in each (the default). */
        WARM,
        /** Warm workers, one run at a time in each: for exporters that are not thread-safe. */
        SERIAL,
        /** A JVM per run: for exporters that spawn daemons or keep global state. */
        FRESH;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Mode of(String label) {
            for (Mode mode : values()) {
                if (mode.label().equals(label)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("'" + label + "' is not a mode: warm, serial or fresh");
        }
    }

    /** A JVM that runs the exporter's main once (the dispatcher's, when it cannot run it in its own JVM). */
    List<String> mainCommand() {
        return command(SHORT_JVM_OPTIONS, mainClass);
    }

    /** A worker JVM for the server (exporters/worker/WorkerMain.java), in the given mode. */
    List<String> workerCommand(Mode mode) {
        List<String> command = command(mode == Mode.FRESH ? SHORT_JVM_OPTIONS : WORKER_JVM_OPTIONS, "WorkerMain");
        command.add(mainClass);
        return command;
    }

    /** A JVM that prints the exporter's options as JSON and exits ({@code WorkerMain --describe}: the server's pages). */
    List<String> describeCommand() {
        List<String> command = command(SHORT_JVM_OPTIONS, "WorkerMain");
        command.addAll(List.of("--describe", mainClass));
        return command;
    }

    private List<String> command(List<String> jvmOptions, String main) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.addAll(runtimeOptions);
        command.addAll(List.of("-classpath", classpath, main));
        return command;
    }
}
