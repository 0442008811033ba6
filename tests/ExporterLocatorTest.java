import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lookup of exporters by name along the search path. */
class ExporterLocatorTest {

    static Path touch(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "// " + file.getFileName());
        return file;
    }

    @Test
    void names_outside_the_allowed_pattern_are_never_looked_up(@TempDir Path dir) throws Exception {
        touch(dir.resolve("secret.java"));
        ExporterLocator locator = new ExporterLocator(List.of(dir.resolve("exporters")));
        for (String bad : List.of("../secret", "a/b", "", ".", "..", "x y", "x\u0000", "Exporter", "é")) {
            assertFalse(ExporterLocator.isValidName(bad), bad);
            assertEquals(Optional.empty(), locator.find(bad), bad);
        }
        assertTrue(ExporterLocator.isValidName("my-exporter_2"));
    }

    @Test
    void flat_file_wins_over_folder_and_earlier_directories_win(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        Path flat = touch(second.resolve("x.java"));
        touch(second.resolve("x").resolve("x.java"));
        Path folder = touch(second.resolve("y").resolve("y.java"));
        Path override = touch(first.resolve("y.java"));
        ExporterLocator locator = new ExporterLocator(List.of(first, second));
        assertEquals(Optional.of(flat), locator.find("x"));
        assertEquals(Optional.of(override), locator.find("y"));
        touch(second.resolve("z").resolve("z.java"));
        assertEquals(Map.of("x", flat, "y", override, "z", second.resolve("z").resolve("z.java")), locator.all());
    }

    @Test
    void the_base_class_is_not_an_exporter(@TempDir Path dir) throws Exception {
        touch(dir.resolve("Exporter.java"));
        ExporterLocator locator = new ExporterLocator(List.of(dir));
        assertEquals(Optional.empty(), locator.find("Exporter"));
        assertEquals(Map.of(), locator.all());
    }

    @Test
    void search_path_is_env_then_working_directory(@TempDir Path dir) throws Exception {
        ExporterLocator locator = ExporterLocator.standard(Map.of("METRICS_EXPORTERS", "mine:/opt/more"), dir,
                ExporterLocatorTest.class);
        List<Path> directories = locator.directories();
        assertEquals(dir.resolve("mine"), directories.get(0));
        assertEquals(Path.of("/opt/more"), directories.get(1));
        assertEquals(dir.resolve("exporters"), directories.get(2));
        assertEquals(List.of(dir.resolve("mine/q.java"), dir.resolve("mine/q/q.java")),
                locator.searched("q").subList(0, 2));
    }
}
