import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP layer in this JVM, on port 0, in front of a fake scheduler: routes, statuses, debug JSON, counters. */
class HttpApiTest {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A scheduler that answers each run as the test says, and remembers what it was asked. */
    static class FakeRuns implements ExporterRuns {
        final List<String> asked = new CopyOnWriteArrayList<>();
        final List<Long> deadlines = new CopyOnWriteArrayList<>();
        final List<Map<String, String>> environments = new CopyOnWriteArrayList<>();
        Function<List<String>, CompletableFuture<RunResult>> answer =
                args -> CompletableFuture.completedFuture(new RunResult.Finished(0, "up 1.0\n", "", ""));
        Map<String, Builds.Status> builds = Map.of("noop", new Builds.Status(Builds.State.BUILT, "warm"));

        @Override
        public CompletableFuture<RunResult> submit(RunRequest request, long deadlineNanos) {
            if (!exporters().containsKey(request.exporter())) {
                return CompletableFuture.completedFuture(new RunResult.NotFound(request.exporter()));
            }
            asked.add(request.poolKey() + " " + String.join(" ", request.arguments()));
            environments.add(request.environment());
            deadlines.add(deadlineNanos - System.nanoTime());
            return answer.apply(request.arguments());
        }

        @Override
        public Map<String, Path> exporters() {
            return Map.of("noop", Path.of("noop.java"));
        }

        @Override
        public Map<String, Builds.Status> builds() {
            return builds;
        }
    }

    final FakeRuns runs = new FakeRuns();
    final ServerMetrics metrics = new ServerMetrics();
    final Javalin app = new HttpApi(ServerSettings.fromEnvironment(Map.of("HOST", "127.0.0.1", "PORT", "0",
            "TIMEOUT", "20")), runs, metrics).create().start();

    @AfterEach
    void stop() {
        app.stop();
    }

    HttpResponse<String> request(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        return request("GET", path, headers);
    }

    void answer(RunResult result) {
        runs.answer = args -> CompletableFuture.completedFuture(result);
    }

    @Test
    void a_run_with_metrics_is_200_with_the_text_format() throws Exception {
        HttpResponse<String> response = get("/metrics/noop");
        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("up 1.0\n", response.body());
    }

    @Test
    void each_result_becomes_its_status_and_a_message_naming_the_cause() throws Exception {
        Map<RunResult, String> cases = new java.util.LinkedHashMap<>();
        cases.put(new RunResult.Overloaded(64), "503 too many runs in flight: 64 (MAX_CONCURRENT_RUNS)");
        cases.put(new RunResult.Stopping(), "503 the server is shutting down");
        cases.put(new RunResult.StillBuilding(2.5), "503 exporter 'noop' is still being built (JBang, 2.5 s so far)");
        cases.put(new RunResult.BuildFailed("noop.java:3: error"), "500 exporter 'noop' could not be built:\nnoop.java:3: error");
        cases.put(new RunResult.NoWorker("its worker JVM was still starting"),
                "504 exporter 'noop' did not get a worker before its deadline: its worker JVM was still starting");
        cases.put(new RunResult.WorkerFailed("its worker JVM exited (exit 1) before it was ready"),
                "500 exporter 'noop' could not run: its worker JVM exited (exit 1) before it was ready");
        cases.put(new RunResult.TimedOut(9.5), "504 exporter 'noop' did not finish before its deadline (9.5 s)");
        cases.put(new RunResult.Finished(1, null, "", "noop: error: IOException: no route\n"),
                "500 exporter 'noop' failed (exit 1):\nnoop: error: IOException: no route");
        cases.put(new RunResult.Finished(2, null, "", "noop: Unknown option: '--colour=blue'\n"),
                "400 exporter 'noop' failed (exit 2):\nnoop: Unknown option: '--colour=blue'");
        cases.put(new RunResult.Finished(0, null, "", ""), "500 exporter 'noop' ended without gathering metrics");
        for (Map.Entry<RunResult, String> each : cases.entrySet()) {
            answer(each.getKey());
            HttpResponse<String> response = get("/metrics/noop");
            String got = response.statusCode() + " " + response.body();
            assertTrue(got.startsWith(each.getValue()), each.getKey() + " gave " + got);
            assertEquals("text/plain;charset=utf-8", response.headers().firstValue("Content-Type").orElse("")
                    .replace(" ", ""));
        }
    }

    @Test
    void debug_is_the_originals_json_with_the_status_the_plain_request_would_have() throws Exception {
        answer(new RunResult.Finished(0, "up 1.0\n", "printed\n", "warned\n"));
        HttpResponse<String> ok = get("/metrics/noop?debug");
        assertEquals(200, ok.statusCode());
        assertTrue(ok.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonObject json = JsonParser.parseString(ok.body()).getAsJsonObject();
        assertEquals(java.util.Set.of("returncode", "stdout", "stderr", "metrics-filename", "metrics"), json.keySet());
        assertEquals(0, json.get("returncode").getAsInt());
        assertEquals("printed\n", json.get("stdout").getAsString());
        assertEquals("warned\n", json.get("stderr").getAsString());
        assertEquals("up 1.0\n", json.get("metrics").getAsString());
        assertTrue(json.get("metrics-filename").isJsonNull());

        answer(new RunResult.TimedOut(1.5));
        HttpResponse<String> late = get("/metrics/noop?debug=1");
        assertEquals(504, late.statusCode());
        JsonObject lateJson = JsonParser.parseString(late.body()).getAsJsonObject();
        assertTrue(lateJson.get("returncode").isJsonNull());
        assertTrue(lateJson.get("stderr").getAsString().contains("did not finish before its deadline"), late.body());

        HttpResponse<String> missing = get("/metrics/nosuch?debug");
        assertEquals(404, missing.statusCode());
        assertEquals(255, JsonParser.parseString(missing.body()).getAsJsonObject().get("returncode").getAsInt());
    }

    @Test
    void query_parameters_become_arguments_in_order() throws Exception {
        assertEquals(200, get("/metrics/noop?a=1&--b=2&c&target=core-sw01,x:161&a=again").statusCode());
        assertEquals(List.of("noop --a=1 --b=2 --c --target=core-sw01,x:161 --a=again"), runs.asked);
    }

    @Test
    void bad_parameters_get_400_naming_them_and_never_reach_the_exporter() throws Exception {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("?target=a%2Fb", "'target'");
        cases.put("?tar%20get=x", "'tar get'");
        cases.put("?target=%C3%A9", "'target'");
        cases.put("?na%C3%AFve=1", "'na\\u00efve'");
        cases.put("?target=a%00b", "'target'");
        cases.put("?target=x&output-filename=y", "'output-filename'");
        cases.put("?--pushgateway-address=h:1", "'--pushgateway-address'");
        cases.put("?--", "'--'");
        cases.put("?-h-", "'-h-' is reserved");
        cases.put("?help", "'help' is reserved");
        cases.put("?target=" + "a".repeat(5000), "too long");
        cases.put("?" + "a=1&".repeat(70) + "b=2", "too many");
        for (Map.Entry<String, String> bad : cases.entrySet()) {
            HttpResponse<String> response = get("/metrics/noop" + bad.getKey());
            assertEquals(400, response.statusCode(), bad.getKey() + ": " + response.body());
            assertTrue(response.body().contains(bad.getValue()), bad.getKey() + ": " + response.body());
        }
        assertEquals(List.of(), runs.asked);
    }

    @Test
    void unknown_or_invalid_names_get_404_and_are_not_counted_by_path() throws Exception {
        for (String path : List.of("/metrics/nosuch", "/metrics/..%2F..%2Fetc%2Fpasswd", "/metrics/%2e%2e",
                "/metrics/noop%2F..%2F..%2Fdummy", "/metrics/a%00b", "/metrics/Exporter", "/nothing/here")) {
            HttpResponse<String> response = get(path);
            assertTrue(response.statusCode() == 404 || response.statusCode() == 400, path + " -> " + response.statusCode());
            assertFalse(response.body().contains("root:"), path + ": " + response.body());
        }
        assertFalse(metrics.text().contains("server_exporter_requests_total{"), metrics.text());
    }

    @Test
    void every_spelling_of_a_name_counts_under_the_one_path_label() throws Exception {
        for (String path : List.of("/metrics/noop", "/metrics/%6Eoop", "/metrics/n%6F%6Fp", "/metrics/noop/")) {
            assertEquals(200, get(path).statusCode(), path);
        }
        String text = metrics.text();
        assertEquals(4, Samples.value(text, "server_exporter_requests_total{path=\"/metrics/noop\",status=\"200\"}"), text);
        assertEquals(1, text.lines().filter(l -> l.startsWith("server_exporter_requests_total{")).count(), text);
    }

    @Test
    void head_runs_like_get_and_other_methods_get_405() throws Exception {
        HttpResponse<String> head = request("HEAD", "/metrics/noop");
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals(1, runs.asked.size(), "HEAD ran the exporter, as GET would");
        assertEquals(404, request("HEAD", "/metrics/nosuch").statusCode());
        for (String method : List.of("POST", "PUT", "DELETE")) {
            HttpResponse<String> response = request(method, "/metrics/noop");
            assertEquals(405, response.statusCode(), method);
            assertTrue(response.headers().firstValue("Allow").orElse("").contains("GET"), method);
        }
        assertEquals(405, request("POST", "/metrics").statusCode());
        assertEquals(1, runs.asked.size());
    }

    @Test
    void an_unexpected_failure_is_answered_500_naming_it_and_counted() throws Exception {
        runs.answer = args -> CompletableFuture.failedFuture(new IllegalStateException("a bug in the scheduler"));
        HttpResponse<String> response = get("/metrics/noop");
        assertEquals(500, response.statusCode());
        assertTrue(response.body().contains("IllegalStateException: a bug in the scheduler"), response.body());
        runs.answer = args -> {
            throw new IllegalArgumentException("thrown, not returned");
        };
        HttpResponse<String> thrown = get("/metrics/noop");
        assertEquals(500, thrown.statusCode());
        assertTrue(thrown.body().contains("IllegalArgumentException: thrown, not returned"), thrown.body());
        assertEquals(2, Samples.value(metrics.text(), "server_internal_errors_total"));
    }

    @Test
    void the_deadline_is_the_smaller_of_timeout_and_the_scrape_timeout_less_half_a_second() throws Exception {
        get("/metrics/noop");
        get("/metrics/noop", "X-Prometheus-Scrape-Timeout-Seconds", "5");
        get("/metrics/noop", "X-Prometheus-Scrape-Timeout-Seconds", "60");
        get("/metrics/noop", "X-Prometheus-Scrape-Timeout-Seconds", "0.2");
        List<Long> deadlines = runs.deadlines;
        assertTrue(Math.abs(deadlines.get(0) - 20_000_000_000L) < 1_000_000_000L, deadlines.toString());
        assertTrue(Math.abs(deadlines.get(1) - 4_500_000_000L) < 1_000_000_000L, deadlines.toString());
        assertTrue(Math.abs(deadlines.get(2) - 20_000_000_000L) < 1_000_000_000L, deadlines.toString());
        assertTrue(deadlines.get(3) <= 0, deadlines.toString());
        assertEquals(400, get("/metrics/noop", "X-Prometheus-Scrape-Timeout-Seconds", "soon").statusCode());
    }

    @Test
    void waiting_requests_hold_no_threads_and_the_servers_own_endpoints_answer_at_once() throws Exception {
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try {
            runs.answer = args -> {
                CompletableFuture<RunResult> result = new CompletableFuture<>();
                later.schedule(() -> result.complete(new RunResult.Finished(0, "up 1.0\n", "", "")), 3, TimeUnit.SECONDS);
                return result;
            };
            List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
            HttpClient many = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
            for (int i = 0; i < 300; i++) {
                slow.add(many.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                        + "/metrics/noop?n=" + i)).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (runs.asked.size() < 300 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertEquals(300, runs.asked.size(), "every request reached the scheduler");
            long start = System.nanoTime();
            assertEquals(200, get("/metrics").statusCode());
            assertEquals(200, get("/-/healthy").statusCode());
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 1, "/metrics and /-/healthy took " + seconds + " s with 300 runs waiting");
            for (CompletableFuture<HttpResponse<String>> response : slow) {
                assertEquals(200, response.get(30, TimeUnit.SECONDS).statusCode());
            }
        } finally {
            later.shutdownNow();
        }
    }

    @Test
    void healthy_always_and_ready_once_every_exporter_is_built_or_failed() throws Exception {
        assertEquals(200, get("/-/healthy").statusCode());
        assertEquals(200, get("/-/ready").statusCode());
        runs.builds = Map.of("noop", new Builds.Status(Builds.State.BUILDING, "building"));
        HttpResponse<String> building = get("/-/ready");
        assertEquals(503, building.statusCode());
        assertEquals("not ready: building noop\n", building.body());
        runs.builds = Map.of();
        assertEquals(503, get("/-/ready").statusCode(), "a build not even started");
        runs.builds = Map.of("noop", new Builds.Status(Builds.State.FAILED, "noop.java:1: error"));
        assertEquals(200, get("/-/ready").statusCode(), "a failed build is final until a source changes");
    }

    @Test
    void server_metrics_are_the_originals_and_nothing_else() throws Exception {
        get("/metrics/noop");
        HttpResponse<String> response = get("/metrics");
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
        assertEquals(1, Samples.value(body, "server_exporter_requests_total{path=\"/metrics/noop\",status=\"200\"}"));
        assertTrue(body.lines().filter(l -> !l.startsWith("#")).allMatch(l -> l.startsWith("server_")), body);
        Promtool.assertParses(body);
    }
}
