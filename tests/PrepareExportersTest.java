import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/prepare-exporters.sh, the build step of the Dockerfile, run here without Docker: it checks the
 * EXPORTERS names, and prepares exactly those so that the server runs them from the command cache.
 */
class PrepareExportersTest {

    static Commands.Result prepare(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", Project.root().resolve("scripts/prepare-exporters.sh").toString()));
        command.addAll(List.of(args));
        return Commands.run(command, Project.root(), Map.of("METRICS_CACHE_DIR", dir.resolve("cache").toString()),
                Duration.ofMinutes(8));
    }

    @Test
    void unknown_exporter_fails_with_a_message_naming_it_and_the_exporters_present(@TempDir Path dir) {
        Commands.Result result = prepare(dir, "--exporters", "dummy,nosuch", "--app", dir.resolve("app").toString());
        assertEquals(2, result.exit(), result.describe());
        assertTrue(result.err().contains("unknown exporter 'nosuch'"), result.describe());
        assertTrue(result.err().contains("exporters present: ") && result.err().contains("dummy, noop"), result.describe());
        assertFalse(Files.exists(dir.resolve("app")), "nothing is prepared when a name is wrong");
    }

    @Test
    void invalid_and_empty_lists_are_refused(@TempDir Path dir) {
        String app = dir.resolve("app").toString();
        Commands.Result invalid = prepare(dir, "--exporters", "../exporters/noop", "--app", app);
        assertEquals(2, invalid.exit(), invalid.describe());
        assertTrue(invalid.err().contains("'../exporters/noop' is not a valid exporter name"), invalid.describe());

        Commands.Result base = prepare(dir, "--exporters", "Exporter", "--app", app);
        assertEquals(2, base.exit(), base.describe());
        assertTrue(base.err().contains("'Exporter' is not a valid exporter name"), base.describe());

        Commands.Result empty = prepare(dir, "--exporters", " , ", "--app", app);
        assertEquals(2, empty.exit(), empty.describe());
        assertTrue(empty.err().contains("EXPORTERS is empty"), empty.describe());

        Commands.Result missing = prepare(dir, "--exporters", "noop");
        assertEquals(2, missing.exit(), missing.describe());
        assertTrue(missing.err().contains("usage:"), missing.describe());
    }

    @Test
    void prepares_exactly_the_chosen_exporters_for_a_server_that_runs_without_jbang(@TempDir Path dir) throws Exception {
        Path app = dir.resolve("app");
        Path stage = dir.resolve("stage");
        Commands.Result result = prepare(dir, "--exporters", " noop , noop", "--app", app.toString(),
                "--stage", stage.toString(), "--jlink");
        assertEquals(0, result.exit(), result.describe());
        app = app.toRealPath();

        // only the chosen exporter, its base class and the harness were copied
        try (Stream<Path> files = Files.list(app.resolve("exporters"))) {
            assertEquals(List.of("Exporter.java", "harness", "noop.java", "worker"),
                    files.map(file -> file.getFileName().toString()).sorted().toList());
        }
        try (JarFile jar = new JarFile(app.resolve("server/server.jar").toFile())) {
            assertTrue(jar.stream().noneMatch(entry -> entry.getName().startsWith("exporters/")),
                    "the server jar still bundles the exporters left out");
            assertEquals("server", jar.getManifest().getMainAttributes().getValue("Main-Class"));
        }

        // the command cache holds a valid entry: the server will not call JBang for it
        Path noop = app.resolve("exporters/noop.java");
        List<String> steps = new ArrayList<>();
        BuiltExporter resolved = new BuildCache(dir.resolve("cache/commands")).resolve(noop, steps::add);
        assertEquals(List.of(), steps, "noop was not prepared in the build cache");

        // the stage has, at the same absolute paths, the app and every jar the command needs
        List<String> command = new ArrayList<>(resolved.mainCommand());
        String classpath = command.get(command.indexOf("-classpath") + 1);
        for (String jar : classpath.split(":")) {
            assertTrue(Files.isRegularFile(Path.of(stage + jar)), "not staged: " + jar);
        }
        assertTrue(Files.isRegularFile(Path.of(stage + app.resolve("server/server.jar").toString())));

        // the jlink'd runtime sits where the cached commands expect java, and runs the exporter
        Path stagedJava = Path.of(stage + command.get(0));
        assertTrue(Files.isExecutable(stagedJava), "no staged java at " + stagedJava);
        command.set(0, stagedJava.toString());
        command.addAll(List.of("--target", "t1"));
        Commands.Result run = Commands.run(command, app, Map.of(), Duration.ofSeconds(30));
        assertEquals(0, run.exit(), run.describe());
        assertTrue(run.out().contains("noop_up{target=\"t1\"} 1.0"), run.describe());

        // and the server on that runtime, from the app directory, serves noop and nothing else
        int port = Project.freePort();
        ProcessBuilder builder = new ProcessBuilder(stagedJava.toString(), "-jar", app.resolve("server/server.jar").toString())
                .directory(app.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile());
        builder.environment().remove("METRICS_EXPORTERS");
        builder.environment().putAll(Map.of("PORT", Integer.toString(port), "HOST", "127.0.0.1",
                "METRICS_CACHE_DIR", dir.resolve("cache").toString()));
        Process server = builder.start();
        server.getOutputStream().close();
        try {
            HttpClient client = HttpClient.newHttpClient();
            awaitServer(client, port, server, dir.resolve("server.log"));
            HttpResponse<String> exporter = get(client, port, "/metrics/noop?target=t2");
            assertEquals(200, exporter.statusCode(), exporter.body());
            assertTrue(exporter.body().contains("noop_up{target=\"t2\"} 1.0"), exporter.body());
            HttpResponse<String> leftOut = get(client, port, "/metrics/dummy");
            assertEquals(404, leftOut.statusCode(), leftOut.body());
        } finally {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static HttpResponse<String> get(HttpClient client, int port, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitServer(HttpClient client, int port, Process server, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                fail("the server exited with " + server.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (get(client, port, "/metrics").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        fail("the server did not answer on port " + port + ":\n" + Files.readString(log));
    }
}
