import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrency, start-up checks and graceful shutdown: each test with a server of its own. */
class ServerLifecycleTest {

    static double sample(String exposition, String series) {
        return exposition.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(0.0);
    }

    @Test
    void twenty_concurrent_requests_with_two_workers_are_all_answered_and_leave_nothing(@TempDir Path dir)
            throws Exception {
        try (ServerProcess server = ServerProcess.start(dir, Map.of("WORKERS", "2", "TIMEOUT", "50"))) {
            Path temporaryRoot = Path.of(JsonParser.parseString(server.get("/metrics/noop?debug").body())
                    .getAsJsonObject().get("metrics-filename").getAsString()).getParent().getParent();
            List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                responses.add(ServerProcess.HTTP.sendAsync(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port + "/metrics/echo?sleep-ms=50&target=t" + i))
                        .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = responses.get(i).join();
                assertEquals(200, response.statusCode(), response.body());
                assertTrue(response.body().contains("value=\"--target=t" + i + "\""), response.body());
            }
            String metrics = server.get("/metrics").body();
            assertEquals(20.0, sample(metrics, "server_exporter_requests_total{path=\"/metrics/echo\",status=\"200\",}"), metrics);
            assertEquals(1.0, sample(metrics, "server_exporter_requests_total{path=\"/metrics/noop\",status=\"200\",}"), metrics);
            // 21 exporter runs, the readiness probes and this /metrics request itself, which is counted after it is answered
            double answered = sample(metrics, "server_requests_total{status=\"200\",}");
            assertTrue(answered >= 21, metrics);
            double seconds = sample(metrics, "server_exporter_seconds_total{path=\"/metrics/echo\",}");
            assertTrue(seconds >= 20 * 0.05, "20 runs of at least 50 ms each took " + seconds + " s in all");
            try (var left = Files.list(temporaryRoot)) {
                assertEquals(List.of(), left.toList(), "temporary files left behind");
            }
            List<ProcessHandle> left = server.descendantsOnceBuilt();
            assertTrue(left.stream().allMatch(p -> ServerProcess.commandLine(p).contains("ExporterWorker")),
                    "processes other than warm workers left behind: "
                            + left.stream().map(ServerProcess::commandLine).toList());
            assertTrue(left.size() <= 2 + 1, "more warm workers than WORKERS per exporter (echo 2, noop 1): " + left);
            assertEquals(0, server.terminate());
            assertFalse(Files.exists(temporaryRoot), "the server's temporary directory outlived it");
            for (ProcessHandle worker : left) {
                assertFalse(worker.isAlive(), "a warm worker outlived the server: " + worker);
            }
        }
    }

    @Test
    void sigterm_lets_a_run_in_flight_finish_then_exits_0(@TempDir Path dir) throws Exception {
        try (ServerProcess server = ServerProcess.start(dir, Map.of("TIMEOUT", "30"))) {
            CompletableFuture<HttpResponse<String>> inFlight = ServerProcess.HTTP.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port + "/metrics/echo?sleep-ms=1500")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(700); // the run has started
            long start = System.nanoTime();
            assertEquals(0, server.terminate(), server.log());
            HttpResponse<String> response = inFlight.join();
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("echo_pid"), response.body());
            assertTrue((System.nanoTime() - start) / 1e9 < 10, "shutdown took too long");
            assertTrue(server.log().contains("server: stopping: 1 request(s) in flight"), server.log());
            assertTrue(server.log().contains("server: stopped"), server.log());
        }
    }

    @Test
    void sigterm_kills_a_run_that_would_outlive_the_grace_period(@TempDir Path dir) throws Exception {
        String marker = ServerTest.marker();
        try (ServerProcess server = ServerProcess.start(dir, Map.of("TIMEOUT", "2"))) {
            CompletableFuture<HttpResponse<String>> inFlight = ServerProcess.HTTP.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port + "/metrics/hang?marker=" + marker)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(1000);
            assertEquals(0, server.terminate(), server.log());
            inFlight.handle((response, error) -> null).join();
            assertEquals(List.of(), ServerTest.withMarker(marker), "the hung exporter's child survived the server");
        }
    }

    /** The builds the server starts at start-up (JBang, in child JVMs) stop with it: none is left to init. */
    @Test
    void sigterm_during_start_up_builds_leaves_no_process_behind(@TempDir Path dir) throws Exception {
        List<ProcessHandle> started = new ArrayList<>();
        // an empty cache: the server asks JBang to build every exporter it finds, one after the other
        try (ServerProcess server = ServerProcess.start(dir, Map.of("METRICS_CACHE_DIR", dir.resolve("cache").toString()))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (started.stream().noneMatch(p -> ServerProcess.commandLine(p).contains("dev.jbang.Main"))
                    && System.nanoTime() < deadline) {
                started = server.handle().descendants().toList();
                Thread.sleep(20);
            }
            assertTrue(started.stream().anyMatch(p -> ServerProcess.commandLine(p).contains("dev.jbang.Main")),
                    "no start-up build seen: " + server.log());
            assertEquals(0, server.terminate(), server.log());
        }
        // the server has exited: what it started has ended before it (an orphaned build would finish on its own later)
        List<String> survivors = started.stream().filter(ProcessHandle::isAlive).map(ServerProcess::commandLine).toList();
        started.forEach(ProcessHandle::destroyForcibly);
        assertEquals(List.of(), survivors, "outlived the server");
    }

    @Test
    void bad_environment_values_stop_the_server_at_start_with_a_clear_message(@TempDir Path dir) {
        Map<String, String> cases = Map.of(
                "PORT", "eighty", "WORKERS", "0", "TIMEOUT", "-1");
        for (Map.Entry<String, String> bad : cases.entrySet()) {
            Map<String, String> env = new java.util.HashMap<>(Map.of("PORT", "0", "HOST", "127.0.0.1"));
            env.put(bad.getKey(), bad.getValue());
            Commands.Result result = Commands.jbang(Project.root(), env, "server");
            assertEquals(2, result.exit(), result.describe());
            assertTrue(result.err().contains("server: " + bad.getKey() + " must be"), result.describe());
            assertTrue(result.err().contains("'" + bad.getValue() + "'"), result.describe());
        }
    }

    /** Where a run's files go: TMPDIR when set, else tmpfs (/dev/shm) where there is one. */
    static Path runDirectory(ServerProcess server) throws Exception {
        return Path.of(JsonParser.parseString(server.get("/metrics/noop?debug").body()).getAsJsonObject()
                .get("metrics-filename").getAsString()).getParent();
    }

    @Test
    void run_files_go_under_tmpdir_else_on_tmpfs_and_a_bad_tmpdir_stops_the_server(@TempDir Path dir) throws Exception {
        Path tmpdir = Files.createDirectories(dir.resolve("tmp"));
        try (ServerProcess server = ServerProcess.start(dir, Map.of("TMPDIR", tmpdir.toString()))) {
            Path root = runDirectory(server).getParent();
            assertEquals(tmpdir, root.getParent(), server.log());
            assertTrue(server.log().contains("run files in " + root), server.log());
        }
        assertEquals(List.of(), Files.list(tmpdir).toList(), "the server's directory outlived it");
        assertTrue(Files.isDirectory(TemporaryRoot.SHARED_MEMORY), "this test expects Linux's /dev/shm");
        try (ServerProcess server = ServerProcess.start(dir, Map.of("TMPDIR", ""))) {
            assertEquals(TemporaryRoot.SHARED_MEMORY, runDirectory(server).getParent().getParent(), server.log());
        }
        Commands.Result bad = Commands.jbang(Project.root(), Map.of("PORT", "0", "HOST", "127.0.0.1",
                "TMPDIR", dir.resolve("nowhere").toString()), "server");
        assertEquals(2, bad.exit(), bad.describe());
        assertTrue(bad.err().contains("server: TMPDIR must be a directory the server can write to, got '"
                + dir.resolve("nowhere") + "'"), bad.describe());
    }

    @Test
    void port_in_use_is_a_clear_error(@TempDir Path dir) throws Exception {
        try (ServerProcess first = ServerProcess.start(dir, Map.of())) {
            Commands.Result second = Commands.jbang(Project.root(), Map.of("PORT", Integer.toString(first.port),
                    "HOST", "127.0.0.1"), "server");
            assertEquals(1, second.exit(), second.describe());
            assertTrue(second.err().contains("cannot listen on 127.0.0.1:" + first.port), second.describe());
        }
    }
}
