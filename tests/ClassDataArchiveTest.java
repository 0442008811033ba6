import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The class-data archive of fresh runs: a real training run, a real dump, a real JVM that maps it. */
class ClassDataArchiveTest {
    @TempDir
    static Path shared;
    static Path exporters;
    static ExporterCommands.Resolved noop;

    @BeforeAll
    static void build() throws Exception {
        exporters = ExporterCommandsTest.copyExporters(shared);
        noop = new ExporterCommands(shared.resolve("cache")).resolve(exporters.resolve("noop.java"));
    }

    static long inAMinute() {
        return System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    }

    static Commands.Result run(ExporterCommands.Resolved resolved, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>(resolved.command(jvmOptions));
        command.addAll(List.of(args));
        return Commands.run(command, Project.root(), Map.of(), Duration.ofSeconds(30));
    }

    static List<String> files(Path directory) throws Exception {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(directory)) {
            return list.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    static List<String> with(List<String> options, String... more) {
        List<String> all = new ArrayList<>(options);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    void the_first_good_run_trains_and_later_runs_map_the_archive(@TempDir Path dir) throws Exception {
        Path archives = dir.resolve("archives");
        ClassDataArchive training = ClassDataArchive.of(archives, noop);
        List<String> options = training.jvmOptions();
        assertTrue(options.stream().anyMatch(option -> option.startsWith("-XX:DumpLoadedClassList=")), options.toString());
        Commands.Result first = run(noop, options, "--target", "t1");
        assertEquals(0, first.exit(), first.describe());
        assertEquals("", first.err(), "CDS says nothing on the exporter's streams");
        training.afterExit(true, inAMinute());
        assertEquals(List.of(training.archive().getFileName().toString()), files(archives), "the archive, no temporary file");

        ClassDataArchive mapped = ClassDataArchive.of(archives, noop);
        assertEquals("-XX:SharedArchiveFile=" + mapped.archive(), mapped.jvmOptions().get(0));
        Path loaded = dir.resolve("loaded.log");
        Commands.Result second = run(noop, with(mapped.jvmOptions(), "-Xlog:class+load=info:file=" + loaded), "--target", "t2");
        assertEquals(0, second.exit(), second.describe());
        assertTrue(second.out().contains("noop_up{target=\"t2\",} 1.0"), second.describe());
        String log = Files.readString(loaded);
        assertTrue(log.contains(" noop source: shared objects file"), "the exporter's class came from the archive");
        assertTrue(log.contains(" io.prometheus.client.Collector source: shared objects file"), "and simpleclient's");
        mapped.afterExit(true, inAMinute());
        assertEquals(List.of(training.archive().getFileName().toString()), files(archives));
    }

    @Test
    void a_jar_rebuilt_in_place_gets_a_new_archive(@TempDir Path dir) throws Exception {
        Path copy = ExporterCommandsTest.copyExporters(dir);
        ExporterCommands.Resolved resolved = new ExporterCommands(dir.resolve("cache")).resolve(copy.resolve("noop.java"));
        Path archives = dir.resolve("archives");
        ClassDataArchive training = ClassDataArchive.of(archives, resolved);
        assertEquals(0, run(resolved, training.jvmOptions()).exit());
        training.afterExit(true, inAMinute());
        assertTrue(Files.isRegularFile(training.archive()));

        // the JVM would refuse the old archive for this jar, and with it the JDK's own archive too
        Path jar = Path.of(resolved.classpath().split(java.io.File.pathSeparator)[0]);
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(jar).toMillis() + 10_000));
        Path loaded = dir.resolve("loaded.log");
        Commands.Result refused = run(resolved, List.of("-XX:SharedArchiveFile=" + training.archive(), "-Xlog:cds*=off",
                "-Xlog:class+path=off", "-Xlog:class+load=info:file=" + loaded));
        assertEquals(0, refused.exit(), refused.describe());
        assertFalse(Files.readString(loaded).contains("source: shared objects file"), "no class-data sharing at all");

        ClassDataArchive after = ClassDataArchive.of(archives, resolved);
        assertFalse(after.archive().equals(training.archive()));
        assertTrue(after.jvmOptions().get(0).startsWith("-XX:DumpLoadedClassList="), "a new training run");
        after.afterExit(false, inAMinute());
    }

    @Test
    void a_failed_or_late_run_leaves_nothing_and_the_next_run_trains(@TempDir Path dir) throws Exception {
        Path archives = dir.resolve("archives");
        ClassDataArchive failing = ClassDataArchive.of(archives, noop);
        Commands.Result usage = run(noop, failing.jvmOptions(), "--no-such-option");
        assertEquals(2, usage.exit(), usage.describe());
        failing.afterExit(false, inAMinute());
        assertEquals(List.of(), files(archives), "no archive from a failed run, and its class list is gone");

        ClassDataArchive late = ClassDataArchive.of(archives, noop);
        assertEquals(0, run(noop, late.jvmOptions()).exit());
        late.afterExit(true, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500));
        assertEquals(List.of(), files(archives), "no dump with less time left than a dump may take");

        ClassDataArchive next = ClassDataArchive.of(archives, noop);
        assertTrue(next.jvmOptions().get(0).startsWith("-XX:DumpLoadedClassList="));
        next.afterExit(false, inAMinute());
    }

    @Test
    void one_training_run_at_a_time_per_build(@TempDir Path dir) throws Exception {
        Path archives = dir.resolve("archives");
        ClassDataArchive first = ClassDataArchive.of(archives, noop);
        ClassDataArchive second = ClassDataArchive.of(archives, noop);
        assertTrue(first.jvmOptions().get(0).startsWith("-XX:DumpLoadedClassList="));
        assertEquals(List.of(), second.jvmOptions(), "a run beside a training run uses the JDK's archive");
        second.afterExit(true, inAMinute());
        first.afterExit(false, inAMinute());
        assertTrue(ClassDataArchive.of(archives, noop).jvmOptions().get(0).startsWith("-XX:DumpLoadedClassList="));
    }

    @Test
    void a_dump_that_fails_is_kept_with_its_output_and_not_tried_again(@TempDir Path dir) throws Exception {
        // java -Xshare:dump refuses a non-empty directory before the jars it uses; running with one is fine
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(classes.resolve("note.txt"), "not a jar");
        ExporterCommands.Resolved withDirectory = new ExporterCommands.Resolved(noop.java(), noop.runtimeOptions(),
                classes + java.io.File.pathSeparator + noop.classpath(), noop.mainClass(), noop.mode(), noop.sources(),
                noop.fingerprint(), true);
        Path archives = dir.resolve("archives");
        ClassDataArchive training = ClassDataArchive.of(archives, withDirectory);
        Commands.Result run = run(withDirectory, training.jvmOptions(), "--target", "t");
        assertEquals(0, run.exit(), run.describe());
        training.afterExit(true, inAMinute());

        List<String> left = files(archives);
        assertEquals(1, left.size(), left.toString());
        assertTrue(left.get(0).endsWith(".failed"), left.toString());
        String output = Files.readString(archives.resolve(left.get(0)));
        assertTrue(output.contains("directory"), output);
        assertEquals(List.of(), ClassDataArchive.of(archives, withDirectory).jvmOptions(), "not tried again");
    }

    @Test
    void a_new_build_replaces_the_archive_of_the_previous_one(@TempDir Path dir) throws Exception {
        Path copy = ExporterCommandsTest.copyExporters(dir);
        ExporterCommands commands = new ExporterCommands(dir.resolve("cache"));
        Path archives = dir.resolve("archives");
        ExporterCommands.Resolved before = commands.resolve(copy.resolve("noop.java"));
        ClassDataArchive old = ClassDataArchive.of(archives, before);
        assertEquals(0, run(before, old.jvmOptions()).exit());
        old.afterExit(true, inAMinute());
        assertTrue(Files.isRegularFile(old.archive()));

        Path noopSource = copy.resolve("noop.java");
        Files.writeString(noopSource, Files.readString(noopSource).replace("Always 1: the noop exporter ran.", "Always 1."));
        ExporterCommands.Resolved after = commands.resolve(noopSource);
        ClassDataArchive fresh = ClassDataArchive.of(archives, after);
        assertFalse(fresh.archive().equals(old.archive()));
        Commands.Result run = run(after, fresh.jvmOptions());
        assertTrue(run.out().contains("# HELP noop_up Always 1.\n"), run.describe());
        fresh.afterExit(true, inAMinute());
        assertEquals(List.of(fresh.archive().getFileName().toString()), files(archives), "the old archive is gone");
    }
}
