import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Class-data sharing for exporters that start a JVM per run: the first run of a build dumps the classes
 * it loaded into a dynamic CDS archive, later runs map it instead of loading and verifying them again.
 * An archive is named after the build (its sources' fingerprint and the java binary), so a change makes
 * a new one; it is written under a temporary name and renamed once the JVM exited, so no run maps half
 * an archive. The JVM's CDS messages are turned off: on the command line, stdout is the metrics.
 */
final class ClassDataArchive {
    private static final List<String> QUIET = List.of("-Xlog:cds*=off", "-Xlog:class+path=off");

    private final Path archive;
    private final Path pending;

    private ClassDataArchive(Path archive) {
        this.archive = archive;
        this.pending = archive.resolveSibling(archive.getFileName() + "." + Long.toHexString(
                ThreadLocalRandom.current().nextLong()) + ".tmp");
    }

    /** The archive of {@code resolved}'s build, kept in {@code directory}. */
    static ClassDataArchive of(Path directory, ExporterCommands.Resolved resolved) {
        String name = ExporterCommands.sha256((resolved.fingerprint() + " " + resolved.java() + " " + resolved.classpath())
                .getBytes(StandardCharsets.UTF_8));
        return new ClassDataArchive(directory.resolve(name + ".jsa"));
    }

    static ClassDataArchive standard(ExporterCommands.Resolved resolved) {
        return of(Cache.directory().resolve("archives"), resolved);
    }

    /** JVM options that map the archive, or dump one at exit when there is none yet. */
    List<String> jvmOptions() {
        if (Files.isRegularFile(archive)) {
            return concat("-XX:SharedArchiveFile=" + archive);
        }
        try {
            Files.createDirectories(archive.getParent());
        } catch (IOException e) {
            return List.of();
        }
        return concat("-XX:ArchiveClassesAtExit=" + pending);
    }

    /** After the JVM exited: publish an archive it dumped. */
    void afterExit() {
        if (!Files.isRegularFile(pending)) {
            return;
        }
        try {
            try {
                Files.move(pending, archive, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(pending, archive, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // another run published it first, or the cache is read-only: either way nothing is lost
        } finally {
            try {
                Files.deleteIfExists(pending);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    private static List<String> concat(String option) {
        return List.of(option, QUIET.get(0), QUIET.get(1));
    }
}
