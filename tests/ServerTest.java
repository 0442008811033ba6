import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's routes and statuses, over real HTTP on loopback, against a real server process. */
class ServerTest {
    @TempDir
    static Path dir;
    static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.start(dir, Map.of("WORKERS", "2", "TIMEOUT", "20"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static String marker() {
        return Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
    }

    /** Processes whose command line carries {@code marker}. */
    static List<ProcessHandle> withMarker(String marker) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(marker)).toList();
    }

    @Test
    void server_metrics_are_the_originals_and_nothing_else() throws Exception {
        server.get("/metrics/noop");
        HttpResponse<String> response = server.get("/metrics");
        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        String body = response.body();
        for (String help : List.of(
                "# HELP server_requests_total Total requests made to the server, grouped by HTTP status code",
                "# HELP server_exporter_requests_total Total requests made to exporters, grouped by exporter (path) and HTTP status code",
                "# HELP server_exporter_seconds_total Total time spent handling exporters, in seconds, grouped by exporter (path)",
                "# HELP server_uptime_seconds_total Server uptime, in seconds")) {
            assertTrue(body.contains(help), "missing " + help + "\n" + body);
        }
        assertTrue(body.contains("server_exporter_requests_total{path=\"/metrics/noop\",status=\"200\",}"), body);
        assertTrue(body.lines().filter(l -> !l.startsWith("#")).allMatch(l -> l.startsWith("server_")), body);
        Promtool.assertParses(body);
    }

    @Test
    void exporter_answer_is_its_metrics_file_and_never_its_stdout() throws Exception {
        HttpResponse<String> response = server.get("/metrics/junk");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        assertTrue(response.body().contains("junk_clean 1.0"), response.body());
        assertFalse(response.body().contains("JUNK"), response.body());
        Promtool.assertParses(response.body());
    }

    @Test
    void query_parameters_become_exporter_arguments_in_order() throws Exception {
        HttpResponse<String> response = server.get("/metrics/echo?a=1&--b=2&c&target=core-sw01,x:161&a=again");
        assertEquals(200, response.statusCode(), response.body());
        String body = response.body();
        List<String> expected = List.of("--a=1", "--b=2", "--c", "--target=core-sw01,x:161", "--a=again");
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(body.contains("echo_argument{position=\"" + i + "\",value=\"" + expected.get(i) + "\",}"), body);
        }
        assertFalse(body.contains("position=\"" + expected.size() + "\""), body);
    }

    @Test
    void multi_target_style_parameter_reaches_the_exporter() throws Exception {
        HttpResponse<String> response = server.get("/metrics/noop?target=core-sw01");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("noop_up{target=\"core-sw01\",} 1.0"), response.body());
    }

    @Test
    void debug_returns_json_with_the_status_the_plain_request_would_have() throws Exception {
        HttpResponse<String> ok = server.get("/metrics/junk?debug");
        assertEquals(200, ok.statusCode());
        assertTrue(ok.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonObject json = JsonParser.parseString(ok.body()).getAsJsonObject();
        assertEquals(0, json.get("returncode").getAsInt());
        assertTrue(json.get("stdout").getAsString().contains("JUNK ON STDOUT"), ok.body());
        assertTrue(json.get("stderr").getAsString().contains("junk on stderr"), ok.body());
        assertTrue(json.get("metrics").getAsString().contains("junk_clean 1.0"), ok.body());
        assertTrue(json.get("metrics-filename").getAsString().endsWith("metrics.prom"), ok.body());

        HttpResponse<String> failed = server.get("/metrics/fail?debug=1");
        assertEquals(500, failed.statusCode());
        JsonObject failedJson = JsonParser.parseString(failed.body()).getAsJsonObject();
        assertEquals(1, failedJson.get("returncode").getAsInt());
        assertTrue(failedJson.get("stderr").getAsString().contains("core-sw01 did not answer"), failed.body());
        assertEquals("partial output before failing\n", failedJson.get("stdout").getAsString());

        HttpResponse<String> missing = server.get("/metrics/nosuch?debug");
        assertEquals(404, missing.statusCode());
        assertEquals(255, JsonParser.parseString(missing.body()).getAsJsonObject().get("returncode").getAsInt());
    }

    @Test
    void failing_exporter_gets_500_with_its_stderr() throws Exception {
        HttpResponse<String> response = server.get("/metrics/fail");
        assertEquals(500, response.statusCode());
        assertTrue(response.body().contains("fail: error: IOException: core-sw01 did not answer"), response.body());
        assertFalse(response.body().contains("partial output"), response.body());
    }

    @Test
    void unknown_exporter_gets_404() throws Exception {
        HttpResponse<String> response = server.get("/metrics/nosuch");
        assertEquals(404, response.statusCode());
        assertTrue(response.body().contains("no exporter named 'nosuch'"), response.body());
        assertEquals(404, server.get("/nothing/here").statusCode());
    }

    @Test
    void traversal_attempts_never_reach_a_file() throws Exception {
        for (String path : List.of("/metrics/..%2F..%2Fetc%2Fpasswd", "/metrics/%2e%2e", "/metrics/%2e%2e%2f%2e%2e%2fetc",
                "/metrics/noop%2F..%2F..%2Fdummy", "/metrics/a%00b", "/metrics/noop%00", "/metrics/Exporter",
                "/metrics/%2Fetc%2Fpasswd")) {
            HttpResponse<String> response = server.get(path);
            assertTrue(response.statusCode() == 400 || response.statusCode() == 404, path + " -> " + response.statusCode());
            assertFalse(response.body().contains("root:"), path + ": " + response.body());
        }
    }

    @Test
    void bad_parameters_get_400_naming_them() throws Exception {
        Map<String, String> cases = Map.of(
                "?target=a%2Fb", "'target'",
                "?tar%20get=x", "'tar get'",
                "?target=%C3%A9", "'target'",
                "?na%C3%AFve=1", "'na\\u00efve'",
                "?target=a%00b", "'target'",
                "?target=x&output-filename=y", "'output-filename'",
                "?--pushgateway-address=h:1", "'--pushgateway-address'",
                "?target=" + "a".repeat(5000), "too long",
                "?" + "a=1&".repeat(70) + "b=2", "too many");
        for (Map.Entry<String, String> bad : cases.entrySet()) {
            HttpResponse<String> response = server.get("/metrics/noop" + bad.getKey());
            assertEquals(400, response.statusCode(), bad.getKey() + ": " + response.body());
            assertTrue(response.body().contains(bad.getValue()), bad.getKey() + ": " + response.body());
        }
    }

    @Test
    void unknown_exporter_option_gets_400_with_the_exporters_message() throws Exception {
        HttpResponse<String> response = server.get("/metrics/noop?colour=blue");
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("Unknown option: '--colour=blue'"), response.body());
    }

    @Test
    void repeated_parameters_are_all_passed() throws Exception {
        HttpResponse<String> response = server.get("/metrics/echo?target=a&target=b");
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("value=\"--target=a\""), response.body());
        assertTrue(response.body().contains("value=\"--target=b\""), response.body());
    }

    @Test
    void hung_exporter_is_killed_with_its_children_at_the_scrape_deadline() throws Exception {
        String marker = marker();
        long start = System.nanoTime();
        HttpResponse<String> response = server.get("/metrics/hang?marker=" + marker,
                "X-Prometheus-Scrape-Timeout-Seconds", "3");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(504, response.statusCode(), response.body());
        assertTrue(seconds >= 2.4 && seconds < 4.5, "answered after " + seconds + " s, deadline 2.5 s");
        assertEquals(List.of(), withMarker(marker), "the exporter's child survived");
        String metrics = server.get("/metrics").body();
        assertTrue(metrics.contains("server_worker_restarts_total{path=\"/metrics/hang\",reason=\"deadline\",} 1.0"), metrics);
    }

    @Test
    void child_left_running_by_an_exporter_is_killed_after_the_run() throws Exception {
        String marker = marker();
        HttpResponse<String> response = server.get("/metrics/orphan?marker=" + marker);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("orphan_left 1.0"));
        assertEquals(List.of(), withMarker(marker), "the orphaned child survived");
    }

    @Test
    void one_access_log_line_per_request() throws Exception {
        server.get("/metrics/noop?target=logline");
        server.get("/metrics/nosuch");
        String log = server.log();
        assertTrue(log.lines().anyMatch(l -> l.matches("GET /metrics/noop 200 \\d+\\.\\dms")), log);
        assertTrue(log.lines().anyMatch(l -> l.matches("GET /metrics/nosuch 404 \\d+\\.\\dms")), log);
        assertFalse(log.contains("logline"), "query strings (which may carry secrets) are not logged");
    }
}
