import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real server process ({@code ./jbang server}) on a free loopback port, with the test exporters on its path. */
final class ServerProcess implements AutoCloseable {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path log;
    final int port;

    private ServerProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static Path fixtureExporters() {
        return Project.root().resolve("tests/fixtures/exporters");
    }

    static ServerProcess start(Path workDirectory, Map<String, String> extraEnv, String... arguments) throws Exception {
        int port = Project.freePort();
        Map<String, String> env = new HashMap<>(Map.of("PORT", Integer.toString(port), "HOST", "127.0.0.1",
                "METRICS_EXPORTERS", fixtureExporters().toString()));
        env.putAll(extraEnv);
        Path log = workDirectory.resolve("server-" + port + ".log");
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(Project.jbang().toString(), "server"));
        command.addAll(java.util.List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Project.root().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        ServerProcess server = new ServerProcess(builder.start(), log, port);
        server.awaitReady();
        return server;
    }

    HttpResponse<String> get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(90));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Digits that make a test's child processes findable by their command line. */
    static String marker() {
        return Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
    }

    /** Processes whose command line carries {@code marker}. */
    static java.util.List<ProcessHandle> withMarker(String marker) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(marker)).toList();
    }

    long pid() {
        return process.pid();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /** Waits (up to 5 minutes) until the server has built every exporter present: GET /-/ready is 200. */
    void awaitBuilt() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (get("/-/ready").statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                fail("the server did not build its exporters within 5 minutes:\n" + log());
            }
            Thread.sleep(200);
        }
    }

    /**
     * The server's child processes once the builds it starts at start-up (JBang, in child JVMs) are done:
     * what is left then is what requests left.
     */
    java.util.List<ProcessHandle> descendantsOnceBuilt() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            java.util.List<ProcessHandle> all = process.descendants().toList();
            if (all.stream().noneMatch(p -> commandLine(p).contains("dev.jbang.Main"))) {
                return all;
            }
            Thread.sleep(200);
        }
        return fail("the server's start-up builds did not finish within 5 minutes");
    }

    /**
     * A process's whole command line, from /proc (ProcessHandle.Info cuts long ones short, and a JVM's class path
     * comes before its main class), or "" once it has gone.
     */
    static String commandLine(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ').strip();
        } catch (IOException e) {
            return "";
        }
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM, then the exit code (a hard kill after 90 s counts as a failure). */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail("the server did not stop within 90 s of SIGTERM\n" + log());
        }
        return process.exitValue();
    }

    /** Waits for the start-up line: the server listens (over HTTP or HTTPS, with or without credentials). */
    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("the server exited with " + process.exitValue() + ":\n" + log());
            }
            if (log().lines().anyMatch(line -> line.startsWith("server: listening on "))) {
                return;
            }
            Thread.sleep(100);
        }
        fail("the server did not start listening within 120 s:\n" + log());
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            terminate();
        }
    }
}
