import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build cache: JBang once, then a cache hit until a source (its //SOURCES included) changes. */
class BuildCacheTest {

    /** A copy of the base class, its harness and worker, and noop: exporters whose sources the test may change. */
    static Path copyExporters(Path dir) throws Exception {
        Path exporters = Files.createDirectories(dir.resolve("exporters"));
        Path root = Project.root().resolve("exporters");
        CatalogTest.copyTree(root, exporters, List.of("Exporter.java", "noop.java", "harness", "worker"));
        return exporters;
    }

    /** Resolves, and says whether JBang was asked to build. */
    static BuiltExporter resolve(BuildCache cache, Path source, List<String> steps) throws Exception {
        return cache.resolve(source, steps::add);
    }

    static Commands.Result runMain(BuiltExporter built, String... args) {
        List<String> command = new ArrayList<>(built.mainCommand());
        command.addAll(List.of(args));
        return Commands.run(command, Project.root(), Map.of(), Duration.ofSeconds(30));
    }

    @Test
    void builds_once_then_hits_the_cache_until_a_source_changes(@TempDir Path dir) throws Exception {
        Path exporters = copyExporters(dir);
        BuildCache cache = new BuildCache(dir.resolve("cache"));
        Path noop = exporters.resolve("noop.java");
        List<String> steps = new ArrayList<>();

        BuiltExporter first = resolve(cache, noop, steps);
        assertEquals(1, steps.size(), "built by JBang: " + steps);
        assertTrue(steps.get(0).startsWith("building " + noop + " with JBang"), steps.toString());
        assertTrue(first.sources().contains(exporters.resolve("harness/Push.java")), first.sources().toString());
        assertEquals(BuiltExporter.Mode.WARM, first.mode());
        Commands.Result run = runMain(first, "--target", "t1");
        assertEquals(0, run.exit(), run.describe());
        assertTrue(run.out().contains("noop_up{target=\"t1\"} 1.0"), run.describe());

        BuiltExporter second = resolve(cache, noop, steps);
        assertEquals(1, steps.size(), "a cache hit asks nothing of JBang");
        assertEquals(first, second);

        // a change in a file pulled in through //SOURCES (not the exporter itself) invalidates the entry
        Path exposition = exporters.resolve("harness/Exposition.java");
        Files.writeString(exposition, Files.readString(exposition).replace("static String text(CollectorRegistry registry) {",
                "static String text(CollectorRegistry registry) {\n        if (registry != null) return \"# changed\\n\";"));
        BuiltExporter third = resolve(cache, noop, steps);
        assertEquals(2, steps.size(), steps.toString());
        Commands.Result changed = runMain(third);
        assertEquals("# changed\n", changed.out(), changed.describe());
    }

    @Test
    void a_missing_jar_is_rebuilt(@TempDir Path dir) throws Exception {
        Path exporters = copyExporters(dir);
        BuildCache cache = new BuildCache(dir.resolve("cache"));
        Path noop = exporters.resolve("noop.java");
        List<String> steps = new ArrayList<>();
        BuiltExporter first = resolve(cache, noop, steps);
        Files.delete(Path.of(first.classpath().split(":")[0]));
        BuiltExporter second = resolve(cache, noop, steps);
        assertEquals(2, steps.size(), steps.toString());
        assertEquals(0, runMain(second).exit());
    }

    @Test
    void the_scripts_mode_line_is_read_and_a_bad_one_named(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("x.java");
        Files.writeString(script, "//SOURCES Exporter.java\n//METRICS_MODE serial\n");
        assertEquals(BuiltExporter.Mode.SERIAL, BuildCache.mode(script));
        Files.writeString(script, "//METRICS_MODE fresh\n");
        assertEquals(BuiltExporter.Mode.FRESH, BuildCache.mode(script));
        Files.writeString(script, "// nothing said\n");
        assertEquals(BuiltExporter.Mode.WARM, BuildCache.mode(script));
        Files.writeString(script, "//METRICS_MODE lukewarm\n");
        IOException bad = assertThrows(IOException.class, () -> BuildCache.mode(script));
        assertTrue(bad.getMessage().contains("'lukewarm' is not a mode: warm, serial or fresh"), bad.getMessage());
    }

    @Test
    void a_compile_error_is_reported_with_the_compilers_message(@TempDir Path dir) throws Exception {
        Path exporters = copyExporters(dir);
        Path broken = exporters.resolve("broken.java");
        Files.writeString(broken, "//SOURCES Exporter.java\npublic class broken extends Exporter { nonsense }\n");
        IOException error = assertThrows(IOException.class,
                () -> new BuildCache(dir.resolve("cache")).resolve(broken, step -> { }));
        assertTrue(error.getMessage().contains("broken.java"), error.getMessage());
    }
}
