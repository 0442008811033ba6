import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JBang catalog: aliases, the exporter template, and both ways users register it. */
class CatalogTest {

    static JsonObject catalog() throws IOException {
        return JsonParser.parseString(Files.readString(Project.root().resolve("jbang-catalog.json"))).getAsJsonObject();
    }

    @Test
    void every_exporter_has_an_alias_and_travels_with_the_scripts() throws Exception {
        Path root = Project.root();
        JsonObject aliases = catalog().getAsJsonObject("aliases");
        Map<String, Path> exporters = new ExporterLocator(List.of(root.resolve("exporters"))).all();
        assertTrue(exporters.keySet().containsAll(Set.of("dummy", "noop")), exporters.toString());
        for (Map.Entry<String, Path> exporter : exporters.entrySet()) {
            JsonObject alias = aliases.getAsJsonObject(exporter.getKey());
            assertTrue(alias != null, "no catalog alias for exporter " + exporter.getKey());
            assertEquals(root.relativize(exporter.getValue()).toString(), alias.get("script-ref").getAsString());
            assertTrue(alias.has("description"), exporter.getKey());
        }
        for (String name : List.of("metrics", "test")) {
            assertTrue(aliases.has(name) && aliases.getAsJsonObject(name).has("description"), name);
        }
        Set<String> bundled = Files.readAllLines(root.resolve("resolve/BundledExporters.java")).stream()
                .filter(l -> l.startsWith("//FILES ")).map(l -> l.substring("//FILES ".length(), l.indexOf('=')))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> sources;
        try (Stream<Path> files = Files.walk(root.resolve("exporters"))) {
            sources = files.filter(f -> f.toString().endsWith(".java")).map(f -> root.relativize(f).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(sources, bundled, "resolve/BundledExporters.java must //FILES every exporter source");
    }

    @Test
    void every_alias_builds() throws Exception {
        for (String alias : catalog().getAsJsonObject("aliases").keySet()) {
            Commands.Result result = Commands.jbang("build", alias);
            assertEquals(0, result.exit(), alias + ": " + result.describe());
        }
    }

    @Test
    void template_creates_a_working_exporter(@TempDir Path dir) throws Exception {
        Path root = Project.root();
        copyTree(root, dir, List.of("jbang-catalog.json", "metrics.java", "templates", "resolve", "exporters"));
        Commands.Result init = Commands.jbang(dir, Map.of(), "init", "-t", "exporter", "exporters/myexp.java");
        assertEquals(0, init.exit(), init.describe());
        Commands.Result run = Commands.jbang(dir, Map.of(), "metrics", "--exporter", "myexp", "--target", "db1");
        assertEquals(0, run.exit(), run.describe());
        assertTrue(run.out().contains("myexp_up{target=\"db1\"} 1.0"), run.describe());
        assertTrue(run.out().contains("execution_seconds_count{function=\"myexp.read_target\"} 1.0"), run.describe());
        Promtool.assertParses(run.out());

        Commands.Result bad = Commands.jbang(dir, Map.of(), "metrics", "--exporter", "myexp", "--target=");
        assertEquals(2, bad.exit(), bad.describe());
        assertTrue(bad.err().contains("myexp: Invalid --target '': name a host\nTry 'myexp --help' for the options."),
                bad.describe());
        assertEquals("", bad.out(), bad.describe());
    }

    @Test
    void catalog_added_from_the_repository_runs_from_any_directory(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("JBANG_DIR", dir.resolve("jbang-home").toString());
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Commands.Result add = Commands.jbang(elsewhere, env, "catalog", "add", "-g", "--name", "metricstest",
                Project.root().resolve("jbang-catalog.json").toString());
        assertEquals(0, add.exit(), add.describe());
        Commands.Result run = Commands.jbang(elsewhere, env, "metrics@metricstest", "--exporter", "noop", "--target", "x");
        assertEquals(0, run.exit(), run.describe());
        assertTrue(run.out().contains("noop_up{target=\"x\"} 1.0"), run.describe());
    }

    @Test
    void catalog_served_over_http_runs_from_any_directory(@TempDir Path dir) throws Exception {
        HttpServer server = serve(Project.root());
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            Map<String, String> env = Map.of("JBANG_DIR", dir.resolve("jbang-home").toString());
            Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
            Commands.Result trust = Commands.jbang(elsewhere, env, "trust", "add", base);
            assertEquals(0, trust.exit(), trust.describe());
            Commands.Result add = Commands.jbang(elsewhere, env, "catalog", "add", "--name", "metricsweb",
                    base + "jbang-catalog.json");
            assertEquals(0, add.exit(), add.describe());
            Commands.Result run = Commands.jbang(elsewhere, env, "metrics@metricsweb", "--exporter", "noop", "--target", "y");
            assertEquals(0, run.exit(), run.describe());
            assertTrue(run.out().contains("noop_up{target=\"y\"} 1.0"), run.describe());
        } finally {
            server.stop(0);
        }
    }

    /** Serves the files under {@code root} read-only, as a Git host serves raw files. */
    static HttpServer serve(Path root) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                byte[] body = Files.readAllBytes(file);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    static void copyTree(Path from, Path to, List<String> entries) throws IOException {
        for (String entry : entries) {
            try (Stream<Path> files = Files.walk(from.resolve(entry))) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path target = to.resolve(from.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(file, target);
                    }
                }
            }
        }
    }
}
