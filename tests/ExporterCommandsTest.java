import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command cache: JBang once, then a cache hit until a source (its //SOURCES included) changes. */
class ExporterCommandsTest {

    /** A copy of the base class, its lib/ and noop: exporters whose sources the test may change. */
    static Path copyExporters(Path dir) throws Exception {
        Path exporters = Files.createDirectories(dir.resolve("exporters"));
        Path root = Project.root().resolve("exporters");
        CatalogTest.copyTree(root, exporters, List.of("Exporter.java", "noop.java", "lib"));
        return exporters;
    }

    static Commands.Result runResolved(ExporterCommands.Resolved resolved, String... args) {
        List<String> command = new ArrayList<>(resolved.command());
        command.addAll(List.of(args));
        return Commands.run(command, Project.root(), Map.of(), Duration.ofSeconds(30));
    }

    @Test
    void resolves_once_then_hits_the_cache_until_a_source_changes(@TempDir Path dir) throws Exception {
        Path exporters = copyExporters(dir);
        ExporterCommands commands = new ExporterCommands(dir.resolve("cache"));
        Path noop = exporters.resolve("noop.java");

        ExporterCommands.Resolved first = commands.resolve(noop);
        assertFalse(first.fromCache());
        assertTrue(first.sources().contains(exporters.resolve("lib/Push.java")), first.sources().toString());
        Commands.Result run = runResolved(first, "--target", "t1");
        assertEquals(0, run.exit(), run.describe());
        assertTrue(run.out().contains("noop_up{target=\"t1\",} 1.0"), run.describe());

        ExporterCommands.Resolved second = commands.resolve(noop);
        assertTrue(second.fromCache());
        assertEquals(first.command(), second.command());

        // a change in a file pulled in through //SOURCES (not the exporter itself) invalidates the entry
        Path exposition = exporters.resolve("lib/Exposition.java");
        Files.writeString(exposition, Files.readString(exposition).replace("static String text(CollectorRegistry registry) {",
                "static String text(CollectorRegistry registry) {\n        if (registry != null) return \"# changed\\n\";"));
        ExporterCommands.Resolved third = commands.resolve(noop);
        assertFalse(third.fromCache());
        Commands.Result changed = runResolved(third);
        assertEquals("# changed\n", changed.out(), changed.describe());
    }

    @Test
    void a_missing_jar_is_rebuilt(@TempDir Path dir) throws Exception {
        Path exporters = copyExporters(dir);
        ExporterCommands commands = new ExporterCommands(dir.resolve("cache"));
        Path noop = exporters.resolve("noop.java");
        ExporterCommands.Resolved first = commands.resolve(noop);
        String classpath = first.command().get(first.command().indexOf("-classpath") + 1);
        Files.delete(Path.of(classpath.split(":")[0]));
        ExporterCommands.Resolved second = commands.resolve(noop);
        assertFalse(second.fromCache());
        assertEquals(0, runResolved(second).exit());
    }

    @Test
    void a_compile_error_is_reported_with_the_compilers_message(@TempDir Path dir) throws Exception {
        Path exporters = copyExporters(dir);
        Path broken = exporters.resolve("broken.java");
        Files.writeString(broken, "//SOURCES Exporter.java\npublic class broken extends Exporter { nonsense }\n");
        java.io.IOException error = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> new ExporterCommands(dir.resolve("cache")).resolve(broken));
        assertTrue(error.getMessage().contains("broken.java"), error.getMessage());
    }
}
