import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Warm workers: reuse, fresh state per run, and replacement after crashes, deadlines, changes and limits. */
class WorkerTest {

    static double pid(String exposition, String metric) {
        return ServerLifecycleTest.sample(exposition, metric);
    }

    static void assertMetric(ServerProcess server, String series, double expected) throws Exception {
        String metrics = server.get("/metrics").body();
        assertEquals(expected, ServerLifecycleTest.sample(metrics, series), series + " in\n" + metrics);
    }

    @Test
    void warm_runs_reuse_one_jvm_with_fresh_state_and_output_each_time(@TempDir Path dir) throws Exception {
        try (ServerProcess server = ServerProcess.start(dir, Map.of("WORKERS", "1"))) {
            double firstPid = 0;
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> response = server.get("/metrics/echo?run=" + i + "&debug");
                assertEquals(200, response.statusCode(), response.body());
                var json = JsonParser.parseString(response.body()).getAsJsonObject();
                String metrics = json.get("metrics").getAsString();
                assertTrue(metrics.contains("echo_argument{position=\"0\",value=\"--run=" + i + "\",} 0.0"), metrics);
                assertEquals(1, metrics.lines().filter(l -> l.startsWith("echo_argument{")).count(), metrics);
                assertEquals("", json.get("stdout").getAsString());
                double pid = pid(metrics, "echo_pid");
                if (i == 0) {
                    firstPid = pid;
                } else {
                    assertEquals(firstPid, pid, "run " + i + " did not reuse the warm worker");
                }
            }
            HttpResponse<String> junk = server.get("/metrics/junk?debug");
            var json = JsonParser.parseString(junk.body()).getAsJsonObject();
            assertEquals("JUNK ON STDOUT {not=\"metrics\"} 42\n", json.get("stdout").getAsString(), "stdout is per run");
            assertEquals("junk on stderr\n", json.get("stderr").getAsString());
            assertMetric(server, "server_exporter_mode{path=\"/metrics/echo\",mode=\"warm\",}", 1);
            assertMetric(server, "server_worker_runs{path=\"/metrics/echo\",slot=\"0\",}", 5);
            assertMetric(server, "server_worker_starts_total{path=\"/metrics/echo\",}", 1);
        }
    }

    @Test
    void system_exit_fails_only_that_run_and_a_new_worker_takes_over(@TempDir Path dir) throws Exception {
        try (ServerProcess server = ServerProcess.start(dir, Map.of())) {
            double before = pid(server.get("/metrics/exits").body(), "exits_pid");
            HttpResponse<String> crash = server.get("/metrics/exits?code=3&debug");
            assertEquals(500, crash.statusCode(), crash.body());
            var json = JsonParser.parseString(crash.body()).getAsJsonObject();
            assertEquals(3, json.get("returncode").getAsInt());
            assertTrue(json.get("stderr").getAsString().contains("about to exit with 3"), crash.body());
            HttpResponse<String> after = server.get("/metrics/exits");
            assertEquals(200, after.statusCode(), after.body());
            assertNotEquals(before, pid(after.body(), "exits_pid"));
            assertMetric(server, "server_worker_restarts_total{path=\"/metrics/exits\",reason=\"crashed\",}", 1);
            assertEquals(200, server.get("/metrics/noop").statusCode(), "another exporter is not hurt");
        }
    }

    @Test
    void a_run_past_its_deadline_kills_the_worker_and_a_new_one_serves_the_next(@TempDir Path dir) throws Exception {
        try (ServerProcess server = ServerProcess.start(dir, Map.of())) {
            double before = pid(server.get("/metrics/echo").body(), "echo_pid");
            HttpResponse<String> late = server.get("/metrics/echo?sleep-ms=60000", "X-Prometheus-Scrape-Timeout-Seconds", "2");
            assertEquals(504, late.statusCode(), late.body());
            assertTrue(ProcessHandle.of((long) before).map(ProcessHandle::isAlive).orElse(false) == false,
                    "the worker that missed its deadline is still alive");
            HttpResponse<String> next = server.get("/metrics/echo");
            assertEquals(200, next.statusCode());
            assertNotEquals(before, pid(next.body(), "echo_pid"));
            assertMetric(server, "server_worker_restarts_total{path=\"/metrics/echo\",reason=\"deadline\",}", 1);
        }
    }

    @Test
    void a_source_change_replaces_the_worker(@TempDir Path dir) throws Exception {
        Path exporters = Files.createDirectories(dir.resolve("exporters"));
        Path source = DispatcherTest.writeExporter(exporters, "changing",
                "io.prometheus.client.Gauge.build().name(\"changing_version\").help(\"h\").register(metrics).set(1);"
                        + "io.prometheus.client.Gauge.build().name(\"changing_pid\").help(\"h\").register(metrics)"
                        + ".set(ProcessHandle.current().pid());");
        try (ServerProcess server = ServerProcess.start(dir, Map.of("METRICS_EXPORTERS", exporters.toString()))) {
            String first = server.get("/metrics/changing").body();
            assertTrue(first.contains("changing_version 1.0"), first);
            Files.writeString(source, Files.readString(source).replace(".set(1);", ".set(2);"));
            HttpResponse<String> second = server.get("/metrics/changing");
            assertEquals(200, second.statusCode(), second.body());
            assertTrue(second.body().contains("changing_version 2.0"), second.body());
            assertNotEquals(pid(first, "changing_pid"), pid(second.body(), "changing_pid"));
            assertMetric(server, "server_worker_restarts_total{path=\"/metrics/changing\",reason=\"source_changed\",}", 1);
        }
    }

    @Test
    void workers_are_replaced_after_max_runs_and_past_the_memory_limit(@TempDir Path dir) throws Exception {
        try (ServerProcess server = ServerProcess.start(dir, Map.of("WORKER_MAX_RUNS", "3", "WORKERS", "1"))) {
            double[] pids = new double[4];
            for (int i = 0; i < 4; i++) {
                pids[i] = pid(server.get("/metrics/echo").body(), "echo_pid");
            }
            assertEquals(pids[0], pids[2]);
            assertNotEquals(pids[2], pids[3], "the fourth run should get a new worker");
            assertMetric(server, "server_worker_restarts_total{path=\"/metrics/echo\",reason=\"max_runs\",}", 1);
        }
        try (ServerProcess server = ServerProcess.start(dir, Map.of("WORKER_MAX_MB", "32"))) {
            double first = pid(server.get("/metrics/echo").body(), "echo_pid");
            assertNotEquals(first, pid(server.get("/metrics/echo").body(), "echo_pid"));
            assertMetric(server, "server_worker_restarts_total{path=\"/metrics/echo\",reason=\"memory\",}", 2);
        }
    }

    @Test
    void fresh_mode_comes_from_the_script_or_the_servers_override(@TempDir Path dir) throws Exception {
        try (ServerProcess server = ServerProcess.start(dir, Map.of("EXPORTER_MODES", "echo=fresh"))) {
            double first = pid(server.get("/metrics/echo").body(), "echo_pid");
            assertNotEquals(first, pid(server.get("/metrics/echo").body(), "echo_pid"), "fresh: a JVM per run");
            assertEquals(200, server.get("/metrics/orphan?marker=1").statusCode());
            assertMetric(server, "server_exporter_mode{path=\"/metrics/echo\",mode=\"fresh\",}", 1);
            assertMetric(server, "server_exporter_mode{path=\"/metrics/orphan\",mode=\"fresh\",}", 1);
            assertMetric(server, "server_workers{path=\"/metrics/echo\",}", 0);
        }
        Commands.Result bad = Commands.jbang(Project.root(), Map.of("EXPORTER_MODES", "echo=lukewarm", "PORT", "0"), "server");
        assertEquals(2, bad.exit(), bad.describe());
        assertTrue(bad.err().contains("EXPORTER_MODES must be NAME=warm|fresh"), bad.describe());
    }
}
