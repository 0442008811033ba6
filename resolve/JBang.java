import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code jbang} command, for building exporters: the one named by {@code METRICS_JBANG} (the project's
 * {@code ./jbang} launcher sets it to itself), else {@code jbang} on PATH. A prepared image needs none.
 */
final class JBang {
    static final String ENV = "METRICS_JBANG";
    private static final long TIMEOUT_MINUTES = 10;
    private static final Path NICE = Path.of("/usr/bin/nice");

    private JBang() {
    }

    static Path command() throws IOException {
        String named = System.getenv(ENV);
        if (named != null && !named.isBlank()) {
            Path path = Path.of(named);
            if (Files.isExecutable(path)) {
                return path;
            }
            throw new IOException(ENV + " names '" + named + "', which is not an executable file");
        }
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, "jbang");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IOException("building an exporter needs JBang, and there is none: run through the project's "
                + "./jbang, put jbang on PATH, or set " + ENV);
    }

    /**
     * Runs {@code jbang --quiet ARGS}, at a lower CPU priority where {@code nice} exists (a build is background work
     * beside a server's scrapes); its stdout, or an IOException with its stderr when it fails.
     */
    static String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(NICE)) {
            command.addAll(List.of(NICE.toString(), "-n", "10"));
        }
        command.addAll(List.of(command().toString(), "--quiet"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))) // a question (trust?) fails, never hangs
                .start();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
        String stdout = drain(process.getInputStream());
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IOException("jbang " + String.join(" ", args) + " took more than " + TIMEOUT_MINUTES + " minutes");
        }
        if (process.exitValue() != 0) {
            throw new IOException("jbang " + String.join(" ", args) + " failed (exit " + process.exitValue() + "):\n"
                    + stderr.join().strip() + (stdout.isBlank() ? "" : "\n" + stdout.strip()));
        }
        return stdout;
    }

    private static String drain(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
