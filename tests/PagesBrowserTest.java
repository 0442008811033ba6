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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages in a real browser: headless Chromium (Debian {@code chromium}) loads them from the HTTP layer in front
 * of the real run engine (worker JVMs and the options' describe JVM from the suite's class path, the exporters'
 * scripts as they are), and the test reads the DOM it built. Screenshots go to {@code $SCREENSHOTS_DIR}, else
 * {@code $TMPDIR/metrics-pages}, for a person to look at.
 */
class PagesBrowserTest {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;
    String chromium;
    Scheduler scheduler;
    WorkerSockets sockets;
    Javalin app;

    @BeforeEach
    void start() throws Exception {
        chromium = Commands.require("chromium", "chromium");
        Path exporters = Files.createDirectories(dir.resolve("exporters"));
        Files.copy(Project.root().resolve("exporters/noop.java"), exporters.resolve("noop.java"));
        Files.copy(Project.root().resolve("tests/fixtures/pages/described.java"), exporters.resolve("described.java"));
        ServerSettings settings = ServerSettings.fromEnvironment(Map.of("HOST", "127.0.0.1", "PORT", "0", "TIMEOUT", "30"));
        ServerMetrics metrics = new ServerMetrics();
        sockets = new WorkerSockets(Files.createDirectories(dir.resolve("run")));
        scheduler = new Scheduler(new ExporterLocator(List.of(exporters)), new Builds(Engine::fromClasspath), settings,
                metrics, sockets);
        app = new HttpApi(settings, scheduler, metrics).create().start();
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.stop();
            scheduler.beginStopping();
            scheduler.close();
            sockets.close();
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + app.port() + path;
    }

    int scrape(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** Chromium's command line, headless, with a profile of its own that it leaves in the test's directory. */
    List<String> chromium(String... arguments) {
        List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                "--disable-extensions", "--user-data-dir=" + dir.resolve("profile")));
        command.addAll(List.of(arguments));
        return command;
    }

    /** The DOM Chromium built from the page, serialized. */
    String dom(String path) {
        Commands.Result result = Commands.run(chromium("--dump-dom", url(path)), dir, Map.of(), Duration.ofSeconds(90));
        assertEquals(0, result.exit(), result.describe());
        assertTrue(result.out().contains("</html>"), result.describe());
        return result.out();
    }

    void screenshot(String path, String name, int height) throws Exception {
        Path shots = Files.createDirectories(Path.of(System.getenv().getOrDefault("SCREENSHOTS_DIR",
                System.getProperty("java.io.tmpdir") + "/metrics-pages")));
        Path file = shots.resolve(name + ".png");
        Files.deleteIfExists(file);
        Commands.Result result = Commands.run(chromium("--hide-scrollbars", "--window-size=1280," + height,
                "--screenshot=" + file, url(path)), dir, Map.of(), Duration.ofSeconds(90));
        assertEquals(0, result.exit(), result.describe());
        byte[] png = Files.readAllBytes(file);
        assertTrue(png.length > 10_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', file + ": " + png.length);
        System.out.println("screenshot: " + file);
    }

    static void assertContains(String dom, String... parts) {
        for (String part : parts) {
            assertTrue(dom.contains(part), "missing " + part + " in\n" + dom);
        }
    }

    @Test
    void chromium_shows_the_exporters_their_options_and_a_runs_log_as_text() throws Exception {
        assertEquals(200, scrape("/metrics/noop?target=core-sw01"));
        assertEquals(200, scrape("/metrics/described?target=sw1&api-token=tok3n-value"));
        assertEquals(400, scrape("/metrics/noop?colour=blue"));

        String home = dom("/");
        assertContains(home, "<a href=\"/exporters/noop\"><b>noop</b></a>", "<a href=\"/metrics/noop\">/metrics/noop</a>",
                "<a href=\"/metrics\">", "Does nothing, at once: one gauge",
                "markup on stderr (&lt;b&gt;untrusted&lt;/b&gt;)", "<span class=\"badge ok\">built</span>",
                "<code>--target=sw1</code> <code>--api-token=&lt;hidden&gt;</code>", "400 bad options (exit 2)",
                "<a href=\"/logs?id=2\">log</a>");
        assertFalse(home.contains("tok3n-value") || home.contains("<b>untrusted</b>"), home);

        String exporter = dom("/exporters/noop");
        assertContains(exporter, "<h1>noop</h1>", "<td class=\"mono nowrap\">--target</td>", "Echoed as the label",
                "<form class=\"try\" method=\"get\" action=\"/exporters/noop/scrape\">",
                "<input type=\"text\" name=\"--target\"", "<input type=\"checkbox\" name=\"flag\" value=\"--debug\">",
                "<code>--target=core-sw01</code>");

        String log = dom("/logs?id=2");
        assertContains(log, "Run 2: <a href=\"/exporters/described\">described</a>", "200 ok",
                "&lt;script&gt;alert('stderr')&lt;/script&gt; &amp; &lt;b&gt;not bold&lt;/b&gt;, token &lt;hidden&gt;",
                "described_targets 1.0");
        assertFalse(log.contains("<script") || log.contains("<b>not bold") || log.contains("tok3n-value"), log);

        String tried = dom("/exporters/noop/scrape?--target=sw9&flag=--debug&run=debug");
        assertContains(tried, "\"returncode\":0", "noop_up{target=\\\"sw9\\\"} 1.0");

        screenshot("/", "home", 1000);
        screenshot("/exporters/noop", "exporter-noop", 1150);
        screenshot("/logs?id=2", "log", 900);
    }
}
