import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real server, {@code ./jbang server}, end to end: JBang builds, worker processes, signals, start-up checks. */
class ServerProcessTest {

    static Path temporaryRoot(ServerProcess server) {
        String line = server.log().lines().filter(l -> l.startsWith("server: listening on")).findFirst().orElseThrow();
        return Path.of(line.substring(line.indexOf("private directory ") + "private directory ".length()).split(";")[0]);
    }

    @Test
    void exporters_built_by_jbang_are_served_and_their_stdout_never_reaches_the_metrics(@TempDir Path dir) throws Exception {
        try (ServerProcess server = ServerProcess.start(dir, Map.of())) {
            HttpResponse<String> response = server.get("/metrics/junk");
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
            assertTrue(response.body().contains("junk_clean 1.0"), response.body());
            assertFalse(response.body().contains("JUNK"), response.body());
            Promtool.assertParses(response.body());
            JsonObject debug = JsonParser.parseString(server.get("/metrics/junk?debug").body()).getAsJsonObject();
            assertEquals("JUNK ON STDOUT {not=\"metrics\"} 42\n", debug.get("stdout").getAsString());
            assertEquals("junk on stderr\n", debug.get("stderr").getAsString());

            assertEquals(200, server.get("/metrics/noop?target=logline").statusCode());
            String log = server.log();
            assertTrue(log.lines().anyMatch(l -> l.matches("GET /metrics/noop 200 \\d+\\.\\dms")), log);
            assertFalse(log.contains("logline"), "query strings (which may carry secrets) are not logged");
            assertTrue(log.lines().anyMatch(l -> l.startsWith("server: listening on 127.0.0.1:" + server.port)), log);
            assertFalse(log.contains("SLF4J"), "a quiet start: " + log);
        }
    }

    @Test
    void a_hung_exporter_is_answered_504_on_time_and_the_child_it_left_is_killed(@TempDir Path dir) throws Exception {
        try (ServerProcess server = ServerProcess.start(dir, Map.of())) {
            server.awaitBuilt();
            assertEquals(200, server.get("/metrics/noop").statusCode()); // workers of other exporters are not touched
            String marker = ServerProcess.marker();
            long start = System.nanoTime();
            HttpResponse<String> response = server.get("/metrics/hang?marker=" + marker,
                    "X-Prometheus-Scrape-Timeout-Seconds", "3");
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(504, response.statusCode(), response.body());
            assertTrue(seconds >= 2.4 && seconds < 3.0, "answered after " + seconds + " s, deadline 2.5 s");
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!ServerProcess.withMarker(marker).isEmpty() && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertEquals(List.of(), ServerProcess.withMarker(marker), "the exporter's child survived");
            String metrics = server.get("/metrics").body();
            assertEquals(1, Samples.value(metrics, "server_worker_restarts_total{path=\"/metrics/hang\",module=\"\",reason=\"leftovers\"}"));
            assertEquals(200, server.get("/metrics/noop").statusCode());
        }
    }

    @Test
    void sigterm_lets_runs_in_flight_finish_then_exits_0_and_leaves_nothing(@TempDir Path dir) throws Exception {
        ServerProcess server = ServerProcess.start(dir, Map.of("TIMEOUT", "30"));
        try {
            assertEquals(200, server.get("/metrics/echo").statusCode());
            Path root = temporaryRoot(server);
            assertTrue(Files.isDirectory(root), root.toString());
            List<ProcessHandle> workers = server.descendantsOnceBuilt();
            CompletableFuture<HttpResponse<String>> inFlight = ServerProcess.HTTP.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port + "/metrics/echo?sleep-ms=1500")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(700);
            long start = System.nanoTime();
            assertEquals(0, server.terminate(), server.log());
            HttpResponse<String> response = inFlight.join();
            assertEquals(200, response.statusCode(), response.body());
            assertTrue((System.nanoTime() - start) / 1e9 < 10, "shutdown took too long");
            assertTrue(server.log().contains("server: stopping: 1 request(s) in flight"), server.log());
            assertTrue(server.log().contains("server: stopped"), server.log());
            assertFalse(Files.exists(root), "the server's private directory outlived it");
            for (ProcessHandle worker : workers) {
                assertFalse(worker.isAlive(), "a worker outlived the server: " + ServerProcess.commandLine(worker));
            }
        } finally {
            server.close();
        }
    }

    @Test
    void sigterm_kills_a_run_that_would_outlive_the_grace_period(@TempDir Path dir) throws Exception {
        String marker = ServerProcess.marker();
        try (ServerProcess server = ServerProcess.start(dir, Map.of("TIMEOUT", "2"))) {
            CompletableFuture<HttpResponse<String>> inFlight = ServerProcess.HTTP.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port + "/metrics/hang?marker=" + marker)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(1000);
            assertEquals(0, server.terminate(), server.log());
            inFlight.handle((response, error) -> null).join();
            assertEquals(List.of(), ServerProcess.withMarker(marker), "the hung exporter's child survived the server");
        }
    }

    /** Builds the server starts (JBang, in child JVMs) stop with it: none is left to init. */
    @Test
    void sigterm_during_start_up_builds_leaves_no_process_behind(@TempDir Path dir) throws Exception {
        List<ProcessHandle> started = new ArrayList<>();
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
        List<String> survivors = started.stream().filter(ProcessHandle::isAlive).map(ServerProcess::commandLine).toList();
        started.forEach(ProcessHandle::destroyForcibly);
        assertEquals(List.of(), survivors, "outlived the server");
    }

    @Test
    void an_unbuilt_exporter_is_answered_by_the_scrape_deadline_while_its_build_goes_on(@TempDir Path dir) throws Exception {
        try (ServerProcess server = ServerProcess.start(dir, Map.of("METRICS_CACHE_DIR", dir.resolve("cache").toString()))) {
            long start = System.nanoTime();
            HttpResponse<String> response = server.get("/metrics/noop", "X-Prometheus-Scrape-Timeout-Seconds", "3");
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 3, "answered after " + seconds + " s, after Prometheus gave up");
            assertTrue(response.statusCode() == 503 && response.body().contains("is still being built")
                    || response.statusCode() == 200, response.statusCode() + " " + response.body());
            long until = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (server.get("/-/ready").statusCode() != 200 && System.nanoTime() < until) {
                Thread.sleep(500);
            }
            assertEquals(200, server.get("/metrics/noop", "X-Prometheus-Scrape-Timeout-Seconds", "3").statusCode());
        }
    }

    @Test
    void a_source_change_is_built_again_and_replaces_the_worker(@TempDir Path dir) throws Exception {
        Path exporters = Files.createDirectories(dir.resolve("exporters"));
        Path source = DispatcherTest.writeExporter(exporters, "changing",
                "io.prometheus.client.Gauge.build().name(\"changing_version\").help(\"h\").register(metrics).set(1);"
                        + "io.prometheus.client.Gauge.build().name(\"changing_pid\").help(\"h\").register(metrics)"
                        + ".set(ProcessHandle.current().pid());");
        try (ServerProcess server = ServerProcess.start(dir, Map.of("METRICS_EXPORTERS", exporters.toString()))) {
            String first = server.get("/metrics/changing").body();
            assertEquals(1, Samples.value(first, "changing_version"), first);
            Files.writeString(source, Files.readString(source).replace(".set(1);", ".set(2);"));
            Thread.sleep(1100); // sources are looked at once a second at most
            HttpResponse<String> second = server.get("/metrics/changing");
            assertEquals(200, second.statusCode(), second.body());
            assertEquals(2, Samples.value(second.body(), "changing_version"), second.body());
            assertNotEquals(Samples.value(first, "changing_pid"), Samples.value(second.body(), "changing_pid"));
            assertEquals(1, Samples.value(server.get("/metrics").body(),
                    "server_worker_restarts_total{path=\"/metrics/changing\",module=\"\",reason=\"source_changed\"}"));
        }
    }

    @Test
    void bad_settings_and_a_port_in_use_stop_the_server_with_a_clear_message(@TempDir Path dir) throws Exception {
        Map<String, String> cases = Map.of("PORT", "eighty", "WORKERS", "0", "TIMEOUT", "-1",
                "TMPDIR", dir.resolve("nowhere").toString());
        for (Map.Entry<String, String> bad : cases.entrySet()) {
            Map<String, String> env = new HashMap<>(Map.of("PORT", "0", "HOST", "127.0.0.1"));
            env.put(bad.getKey(), bad.getValue());
            Commands.Result result = Commands.jbang(Project.root(), env, "server");
            assertEquals(2, result.exit(), result.describe());
            assertTrue(result.err().contains("server: " + bad.getKey() + " must be"), result.describe());
            assertTrue(result.err().contains("'" + bad.getValue() + "'"), result.describe());
        }
        try (ServerProcess first = ServerProcess.start(dir, Map.of())) {
            Commands.Result second = Commands.jbang(Project.root(), Map.of("PORT", Integer.toString(first.port),
                    "HOST", "127.0.0.1"), "server");
            assertEquals(1, second.exit(), second.describe());
            assertTrue(second.err().contains("cannot listen on 127.0.0.1:" + first.port), second.describe());
        }
    }
}
