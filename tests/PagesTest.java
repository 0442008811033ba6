import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's pages in this JVM, on port 0, in front of a fake scheduler and a fake reader of options: what each
 * page shows, its status, escaping, the history's bound and masking, and the form that becomes a scrape URL.
 */
class PagesTest {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;
    final Map<String, Path> scripts = new java.util.TreeMap<>();
    final HttpApiTest.FakeRuns runs = new HttpApiTest.FakeRuns() {
        @Override
        public Map<String, Path> exporters() {
            return scripts;
        }

        @Override
        public CompletableFuture<BuiltExporter> build(String exporter) {
            return builds.get(exporter) != null && builds.get(exporter).state() == Builds.State.BUILDING
                    ? new CompletableFuture<>() : CompletableFuture.completedFuture(ExporterOptionsTest.built(exporter, "f"));
        }
    };
    final ServerMetrics metrics = new ServerMetrics();
    final AtomicInteger describes = new AtomicInteger();
    ExporterOptions.Reader reader = (name, built) -> {
        describes.incrementAndGet();
        return CompletableFuture.completedFuture(List.of(
                option(List.of("-t", "--target"), "HOST[:PORT]", "A switch <b>to read</b>.", "[]", "1", true),
                option(List.of("--community"), "COMMUNITY", "SNMPv2c community.", "hunter22", "1", false),
                option(List.of("--timeout"), "SECONDS", "Seconds to wait.", "5", "1", false),
                option(List.of("--verbose"), "<verbose>", "Say more.", "false", "0", false),
                option(List.of("--pushgateway-address"), "HOST[:PORT]", "Push.", null, "1", false),
                option(List.of("-h", "--help"), "<help>", "Help.", "false", "0", false)));
    };
    HttpApi api;
    Javalin app;

    static ExporterOptions.Option option(List<String> names, String label, String description, String defaultValue,
            String arity, boolean repeatable) {
        return new ExporterOptions.Option(names, label, description, defaultValue, false, arity, "String", repeatable);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    void start(Map<String, String> env) throws Exception {
        start(env, Configuration.none(metrics));
    }

    void start(Map<String, String> env, Configuration configuration) throws Exception {
        script("noop", "//DESCRIPTION Does nothing, at once: one gauge.\n");
        Map<String, String> all = new HashMap<>(Map.of("TIMEOUT", "20"));
        all.putAll(env);
        api = new HttpApi(ServerSettings.fromEnvironment(all), null, List.of(new ListenAddress("127.0.0.1", 0)),
                configuration, runs, metrics).options((name, built) -> reader.read(name, built));
        app = api.create().start();
    }

    void script(String name, String text) throws Exception {
        scripts.put(name, Files.writeString(dir.resolve(name + ".java"), "///usr/bin/env jbang \"$0\" \"$@\" ; exit $?\n"
                + text + "public class " + name + " {}\n"));
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    String page(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        assertEquals("text/html;charset=utf-8", response.headers().firstValue("Content-Type").orElse("").replace(" ", ""));
        assertTrue(response.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
        return response.body();
    }

    void answer(RunResult result) {
        runs.answer = args -> CompletableFuture.completedFuture(result);
    }

    static List<String> logIds(String html) {
        List<String> ids = new ArrayList<>();
        Matcher matcher = Pattern.compile("href=\"/logs\\?id=(\\d+)\"").matcher(html);
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }

    @Test
    void the_start_page_lists_every_exporter_with_its_description_mode_build_state_and_links() throws Exception {
        script("cisco", "//DESCRIPTION Cisco switches over SNMP.\n//METRICS_MODE serial\n");
        script("broken", "//DESCRIPTION Does not compile.\n");
        script("slow", "//DESCRIPTION Being built.\n");
        runs.builds = Map.of("noop", new Builds.Status(Builds.State.BUILT, "warm"),
                "broken", new Builds.Status(Builds.State.FAILED, "broken.java:3: error: <missing> ';'"),
                "slow", new Builds.Status(Builds.State.BUILDING, "building"));
        start(Map.of("EXPORTER_MODES", "noop=fresh", "WORKERS", "3"));
        String html = page("/");
        for (String shown : List.of("Does nothing, at once: one gauge.", "Cisco switches over SNMP.",
                "<a href=\"/exporters/noop\">", "<a href=\"/metrics/noop\">", "<a href=\"/metrics/cisco?debug\">",
                "<a href=\"/metrics\">", "fresh (EXPORTER_MODES)", ">serial<", ">built<", ">building<", ">build failed<",
                ">not built yet<", "broken.java:3: error: &lt;missing&gt; &#39;;&#39;", "3 worker JVM(s) per exporter",
                "127.0.0.1:" + app.port(), "Java", Runtime.version().toString(), "None yet.")) {
            assertTrue(html.contains(shown), "missing " + shown + "\n" + html);
        }
        assertEquals(503, get("/-/ready").statusCode(), "not ready while slow builds");
    }

    @Test
    void an_exporter_page_shows_its_options_the_form_and_its_runs_and_unknown_ones_are_404() throws Exception {
        start(Map.of());
        get("/metrics/noop?target=sw1");
        String html = page("/exporters/noop");
        for (String shown : List.of("<h1>noop</h1>", "Does nothing, at once: one gauge.", "-t, --target", "HOST[:PORT]",
                "A switch &lt;b&gt;to read&lt;/b&gt;.", "repeatable", "<td class=\"mono\">5</td>",
                "action=\"/exporters/noop/scrape\"", "name=\"--target\"", "placeholder=\"SECONDS, default 5\"",
                "name=\"flag\" value=\"--verbose\"", "name=\"run\" value=\"debug\"", "<code>--target=sw1</code>",
                "Recent runs of noop")) {
            assertTrue(html.contains(shown), "missing " + shown + "\n" + html);
        }
        assertFalse(html.contains("name=\"--pushgateway-address\"") || html.contains("<td class=\"mono nowrap\">-h, --help"),
                "the harness's own options are the server's business\n" + html);
        assertFalse(html.contains("hunter22"), "a secret-looking option's default is not shown\n" + html);
        assertFalse(html.contains("<select name=\"module\""), "no modules without a configuration file");
        page("/exporters/noop");
        assertEquals(2, describes.get(), "each page asks the reader, which keeps what it read per build");

        for (String path : List.of("/exporters/nosuch", "/exporters/..%2Fetc", "/exporters/Exporter")) {
            HttpResponse<String> missing = get(path);
            assertEquals(404, missing.statusCode(), path);
        }
        assertTrue(get("/exporters/nosuch").body().contains("There is no exporter named &#39;nosuch&#39; here."));
    }

    @Test
    void an_exporter_page_says_why_its_options_are_not_known_yet() throws Exception {
        script("slow", "//DESCRIPTION Being built.\n");
        runs.builds = Map.of("slow", new Builds.Status(Builds.State.BUILDING, "building"));
        start(Map.of("TIMEOUT", "0.5"));
        String building = page("/exporters/slow");
        assertTrue(building.contains("it is being built (JBang); reload this page in a moment."), building);
        assertTrue(building.contains("action=\"/exporters/slow/scrape\""), "the form is there, fields come later");

        reader = (name, built) -> CompletableFuture.failedFuture(new ExporterOptions.Unreadable(
                "WorkerMain --describe noop failed (exit 1):\n<init> threw", false));
        String failed = page("/exporters/noop");
        assertTrue(failed.contains("WorkerMain --describe noop failed (exit 1):\n&lt;init&gt; threw"), failed);

        reader = (name, built) -> new CompletableFuture<>();
        String slow = page("/exporters/noop");
        assertTrue(slow.contains("they are being read"), slow);
    }

    @Test
    void a_configured_exporter_page_shows_its_modules_without_secrets_and_a_module_select() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yml"), String.join("\n",
                "exporters:",
                "  noop:",
                "    allow_query_options: [target, verbose]",
                "    allowed_targets: [sw1, 10.0.0.0/8]",
                "    targets: [sw1]",
                "    modules:",
                "      dc1:",
                "        args: [\"--timeout=2\", \"--community\", \"module-community\"]",
                "        env: {NOOP_PASSWORD: inline-secret-value}",
                ""));
        start(Map.of(), Configuration.load(null, config, Map.of(), metrics));
        assertEquals(200, get("/metrics/noop?module=dc1&target=sw1").statusCode());
        String html = page("/exporters/noop");
        for (String shown : List.of("<select name=\"module\"><option value=\"\">(none)</option><option>dc1</option>",
                "<code>--timeout=2</code> <code>--community</code> <code>&lt;hidden&gt;</code>", "NOOP_PASSWORD <span class=\"muted\">(values not shown)",
                "sw1, 10.0.0.0/8", "<tr class=\"muted\"><td class=\"mono nowrap\">--timeout</td>", "not in queries",
                "<tr><td class=\"mono nowrap\">-t, --target</td>", "name=\"--target\"",
                "name=\"flag\" value=\"--verbose\"")) {
            assertTrue(html.contains(shown), "missing " + shown + "\n" + html);
        }
        assertFalse(html.contains("name=\"--timeout\""), "an option the query may not pass is not in the form");
        for (String path : List.of("/", "/exporters/noop", "/logs?id=1")) {
            String shown = page(path);
            assertFalse(shown.contains("module-community") || shown.contains("inline-secret-value"), path + "\n" + shown);
        }
        assertTrue(page("/").contains(config.toString()), "the start page names the configuration file");
    }

    @Test
    void the_form_becomes_a_scrape_url_without_its_empty_fields() throws Exception {
        start(Map.of());
        HttpRequest.Builder form = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                + "/exporters/noop/scrape?module=&--target=sw1+sw2&--timeout=&flag=--verbose&flag=--debug&run=debug"));
        HttpResponse<String> redirect = HTTP.send(form.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, redirect.statusCode());
        assertEquals("/metrics/noop?target=sw1&target=sw2&verbose&--debug&debug",
                redirect.headers().firstValue("Location").orElse(""));
        HttpResponse<String> plain = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                + "/exporters/noop/scrape?module=dc1&--target=&run=scrape")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("/metrics/noop?module=dc1", plain.headers().firstValue("Location").orElse(""));

        HttpResponse<String> followed = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                .send(form.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, followed.statusCode());
        assertTrue(followed.body().startsWith("{\"returncode\":0"), followed.body());
        assertEquals(List.of("noop --target=sw1 --target=sw2 --verbose --debug"), runs.asked);

        HttpResponse<String> unknown = get("/exporters/noop/scrape?colour=blue");
        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.body().contains("unknown form field 'colour'"), unknown.body());
        assertEquals(404, get("/exporters/nosuch/scrape?run=debug").statusCode());
    }

    @Test
    void what_a_run_printed_is_shown_as_text_never_as_markup() throws Exception {
        start(Map.of());
        answer(new RunResult.Finished(1, null, "<img src=x onerror=alert(1)>\n",
                "<script>alert('stderr')</script> & \"quoted\"\n"));
        assertEquals(500, get("/metrics/noop?target=sw1").statusCode());
        String log = page("/logs?id=1");
        assertTrue(log.contains("&lt;script&gt;alert(&#39;stderr&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"), log);
        assertTrue(log.contains("&lt;img src=x onerror=alert(1)&gt;"), log);
        assertFalse(log.contains("<script") || log.contains("<img"), log);
        assertTrue(log.contains("500 failed (exit 1)") && log.contains("Exit code</dt><dd>1</dd>"), log);
    }

    @Test
    void a_run_that_did_not_finish_shows_the_servers_answer() throws Exception {
        start(Map.of());
        answer(new RunResult.TimedOut(1.5));
        get("/metrics/noop");
        String log = page("/logs?id=1");
        assertTrue(log.contains("504 timed out") && log.contains("<h2>The server's answer</h2>")
                && log.contains("did not finish before its deadline (1.5 s)"), log);
        assertTrue(log.contains("none: the run did not finish"), log);
        assertFalse(log.contains("<h2>stderr</h2>"), log);
    }

    @Test
    void the_history_keeps_the_last_RUN_HISTORY_runs_and_nothing_older() throws Exception {
        start(Map.of("RUN_HISTORY", "3"));
        for (int i = 1; i <= 5; i++) {
            assertEquals(200, get("/metrics/noop?n=" + i).statusCode());
        }
        get("/metrics/nosuch");
        assertEquals(List.of("5", "4", "3"), logIds(page("/")), "newest first, unknown exporters not kept");
        assertTrue(page("/logs?id=5").contains("<code>--n=5</code>"));
        HttpResponse<String> gone = get("/logs?id=2");
        assertEquals(404, gone.statusCode());
        assertTrue(gone.body().contains("Run 2 is not in the history: the server keeps the last 3 runs"), gone.body());
        assertEquals(3, api.history().recent().size());
        for (String bad : List.of("/logs", "/logs?id=x", "/logs?id=%3Cb%3E")) {
            HttpResponse<String> response = get(bad);
            assertEquals(400, response.statusCode(), bad);
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), bad);
        }
    }

    @Test
    void with_RUN_HISTORY_0_nothing_is_kept() throws Exception {
        start(Map.of("RUN_HISTORY", "0"));
        get("/metrics/noop");
        assertEquals(List.of(), logIds(page("/")));
        assertEquals(404, get("/logs?id=1").statusCode());
    }

    @Test
    void secret_option_values_are_masked_in_the_arguments_and_in_what_the_run_printed() throws Exception {
        start(Map.of());
        answer(new RunResult.Finished(2, null, "", "noop: Unknown option: '--community=public-ish'\n"));
        get("/metrics/noop?target=sw1&community=public-ish&api-key=k3y-value&auth-password=abc&timeout=5");
        String home = page("/");
        assertTrue(home.contains("<code>--target=sw1</code> <code>--community=&lt;hidden&gt;</code> "
                + "<code>--api-key=&lt;hidden&gt;</code> <code>--auth-password=&lt;hidden&gt;</code> "
                + "<code>--timeout=5</code>"), home);
        String log = page("/logs?id=1");
        assertTrue(log.contains("Unknown option: &#39;--community=&lt;hidden&gt;&#39;"), log);
        for (String shown : List.of(home, log)) {
            assertFalse(shown.contains("public-ish") || shown.contains("k3y-value"), shown);
        }
    }

    @Test
    void pages_need_the_credentials_when_the_web_configuration_sets_users() throws Exception {
        Path web = Files.writeString(dir.resolve("web.yml"), "basic_auth_users:\n  alice: "
                + BasicAuthTest.htpasswd(5, "alice", "alice-pw") + "\n");
        start(Map.of(), Configuration.load(web, null, Map.of(), metrics));
        for (String path : List.of("/", "/exporters/noop", "/exporters/noop/scrape?run=debug", "/logs?id=1")) {
            assertEquals(401, get(path).statusCode(), path);
        }
        HttpResponse<String> allowed = get("/", "Authorization", BasicAuthTest.basic("alice", "alice-pw"));
        assertEquals(200, allowed.statusCode());
        assertTrue(allowed.body().contains("on (every path but /-/healthy)"), allowed.body());
        assertEquals(200, get("/-/healthy").statusCode());
    }
}
