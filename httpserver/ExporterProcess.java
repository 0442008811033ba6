import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of an exporter in a process of its own: it writes its metrics to a file in a directory made
 * for this run; stdout and stderr are kept apart from them. Past the deadline the whole process group
 * is killed; after a normal exit too, so no child outlives the run.
 */
final class ExporterProcess {
    static final int MAX_CAPTURE = 1 << 20;

    /** What a run left: its exit code ({@code null} when killed at the deadline), output and metrics. */
    record Result(Integer exitCode, String stdout, String stderr, Path metricsFile, String metrics) {
        boolean timedOut() {
            return exitCode == null;
        }
    }

    private ExporterProcess() {
    }

    /** Runs {@code command} plus the output options in {@code runDirectory}, waiting until {@code deadlineNanos}. */
    static Result run(ExporterCommands.Resolved resolved, List<String> arguments, Path runDirectory, long deadlineNanos,
            java.util.Set<ProcessHandle> running) throws IOException, InterruptedException {
        ClassDataArchive archive = ClassDataArchive.standard(resolved);
        List<String> command = resolved.command(archive.jvmOptions());
        Path stdout = runDirectory.resolve("stdout");
        Path stderr = runDirectory.resolve("stderr");
        List<String> full = new ArrayList<>(ProcessGroups.leaderPrefix());
        full.addAll(command);
        full.addAll(arguments);
        full.addAll(outputOptions(runDirectory));
        Process process = new ProcessBuilder(full)
                .directory(runDirectory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        Integer exitCode = null;
        running.add(process.toHandle());
        try {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining > 0 && process.waitFor(remaining, TimeUnit.NANOSECONDS)) {
                exitCode = process.exitValue();
            }
        } finally {
            ProcessGroups.kill(process.toHandle());
            if (exitCode == null) {
                process.waitFor(5, TimeUnit.SECONDS); // reap it
            }
            running.remove(process.toHandle());
            archive.afterExit(exitCode != null && exitCode == 0, deadlineNanos);
        }
        return collect(exitCode, runDirectory);
    }

    /** The options that send a run's metrics to its file, and nowhere else. */
    static List<String> outputOptions(Path runDirectory) {
        return List.of("--no-print", "--output-filename=" + runDirectory.resolve("metrics.prom"));
    }

    /** What a run left in its directory. */
    static Result collect(Integer exitCode, Path runDirectory) throws IOException {
        Path metricsFile = runDirectory.resolve("metrics.prom");
        String metrics = exitCode != null && Files.isRegularFile(metricsFile)
                ? Files.readString(metricsFile, StandardCharsets.UTF_8) : "";
        return new Result(exitCode, read(runDirectory.resolve("stdout")), read(runDirectory.resolve("stderr")),
                metricsFile, metrics);
    }

    /** At most {@link #MAX_CAPTURE} bytes: an exporter that floods its stdout cannot flood the server. */
    private static String read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        try (var in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_CAPTURE);
            String text = new String(bytes, StandardCharsets.UTF_8);
            return in.read() < 0 ? text : text + "\n[... cut at " + MAX_CAPTURE + " bytes]";
        }
    }
}
