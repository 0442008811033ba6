import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs real commands with a deadline, without a locale, and captures what they print. */
final class Commands {
    private Commands() {
    }

    record Result(int exit, String out, String err) {
        String describe() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }

        /** stderr's lines but what a first run says of its build (JBang's, then ours), which depends on test order. */
        List<String> errBesidesBuilds() {
            return err.lines().filter(line -> !line.startsWith("[jbang] ") && !line.startsWith("metrics: building "))
                    .toList();
        }
    }

    /** The absolute path of a tool, or a test failure naming the Debian package (CI installs them all). */
    static String require(String tool, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return fail(tool + " is not installed: apt-get install " + debianPackage + " (.ci/run does)");
    }

    static Result run(List<String> command, Path directory, Map<String, String> env, Duration timeout) {
        return run(command, directory, env, timeout, null);
    }

    static Result run(List<String> command, Path directory, Map<String, String> env, Duration timeout, String stdin) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        // no locale, as under cron: what a command prints must survive the POSIX one (Java 17 then writes ASCII)
        builder.environment().keySet().removeIf(name -> name.equals("LANG") || name.startsWith("LC_"));
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            CompletableFuture<String> out = drain(process.getInputStream());
            CompletableFuture<String> err = drain(process.getErrorStream());
            if (stdin != null) {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                fail(String.join(" ", command) + " took more than " + timeout);
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code ./jbang ARGS} in {@code directory}. */
    static Result jbang(Path directory, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(Project.jbang().toString()));
        command.addAll(List.of(args));
        return run(command, directory, env, Duration.ofMinutes(5));
    }

    static Result jbang(String... args) {
        return jbang(Project.root(), Map.of(), args);
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        });
    }
}
