import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Class-data sharing for exporters that start a JVM per run. The first run of a build is a training run:
 * the JVM lists the classes it loads ({@code -XX:DumpLoadedClassList}); once it has exited, a static archive
 * is dumped from that list ({@code java -Xshare:dump}, about 0.3 s, once per build) and later runs map it
 * instead of finding, parsing, verifying and linking those classes again.
 *
 * <p>Static rather than dynamic ({@code -XX:ArchiveClassesAtExit}): a static archive replaces the JDK's own,
 * so a run maps one archive, not two, and it holds what JDK 17 keeps only in static archives: the module
 * graph and other heap objects (mapped with G1, which is why fresh runs use it), the lambda proxy classes and
 * method-handle forms the run used. bench/run.sh measures it against the dynamic archive with Serial GC.
 *
 * <p>An archive is named after the build (its sources' fingerprint, the java binary, the class path and
 * what the JVM checks of the jars and the JDK), so a change makes a new one, which replaces the older
 * archives of the same script. Files are written under temporary names and renamed, so no run maps half
 * an archive. A dump that fails leaves a {@code .failed} file with its output, and that build then runs
 * without an archive of its own. The JVM's CDS messages are turned off: on the command line, stdout is
 * the metrics.
 */
final class ClassDataArchive {
    private static final List<String> QUIET = List.of("-Xlog:cds*=off", "-Xlog:class+path=off");
    /** Builds this JVM is training: a second run at the same time does not train too. */
    private static final Set<Path> TRAINING = ConcurrentHashMap.newKeySet();

    private final ExporterCommands.Resolved resolved;
    private final Path archive;
    private final Path failed;
    private final String prefix;
    private Path classList; // non-null: this run trains

    private ClassDataArchive(Path directory, ExporterCommands.Resolved resolved) {
        this.resolved = resolved;
        String script = resolved.sources().isEmpty() ? resolved.mainClass() : resolved.sources().get(0).toString();
        this.prefix = ExporterCommands.sha256((script + " " + resolved.java()).getBytes(StandardCharsets.UTF_8))
                .substring(0, 16) + "-";
        String build = ExporterCommands.sha256((resolved.fingerprint() + " " + resolved.java() + " "
                + resolved.classpath() + " " + stamps(resolved)).getBytes(StandardCharsets.UTF_8));
        this.archive = directory.resolve(prefix + build + ".jsa");
        this.failed = directory.resolve(prefix + build + ".failed");
    }

    /**
     * The size and modification time of every jar and of the JDK's modules, which the JVM checks before it
     * maps an archive: a jar rebuilt in place or a JDK upgraded in place then gets a new archive. (A static
     * archive that fails the check turns class-data sharing off altogether, the JDK's own archive included:
     * a run would cost twice as much as with no archive of ours.)
     */
    private static String stamps(ExporterCommands.Resolved resolved) {
        StringBuilder stamps = new StringBuilder();
        List<Path> files = new ArrayList<>();
        for (String entry : resolved.classpath().split(java.io.File.pathSeparator)) {
            files.add(Path.of(entry));
        }
        Path javaHome = Path.of(resolved.java()).toAbsolutePath().getParent().getParent();
        files.add(javaHome.resolve("lib").resolve("modules"));
        for (Path file : files) {
            try {
                stamps.append(Files.size(file)).append('@').append(Files.getLastModifiedTime(file).toMillis());
            } catch (IOException | RuntimeException e) {
                stamps.append('-');
            }
            stamps.append(' ');
        }
        return stamps.toString();
    }

    /** The archive of {@code resolved}'s build, kept in {@code directory}. */
    static ClassDataArchive of(Path directory, ExporterCommands.Resolved resolved) {
        return new ClassDataArchive(directory, resolved);
    }

    static ClassDataArchive standard(ExporterCommands.Resolved resolved) {
        return of(Cache.directory().resolve("archives"), resolved);
    }

    Path archive() {
        return archive;
    }

    /** JVM options for this run: map the archive, or train when there is none yet (and none failed). */
    List<String> jvmOptions() {
        if (Files.isRegularFile(archive)) {
            return concat("-XX:SharedArchiveFile=" + archive);
        }
        if (Files.exists(failed) || !TRAINING.add(archive)) {
            return List.of();
        }
        try {
            Files.createDirectories(archive.getParent());
        } catch (IOException e) {
            TRAINING.remove(archive);
            return List.of();
        }
        classList = temporary(".classlist");
        return concat("-XX:DumpLoadedClassList=" + classList);
    }

    /**
     * After the JVM exited: when it trained and {@code succeeded}, dumps the archive from its class list,
     * unless that cannot finish before {@code deadlineNanos} (a later run trains again then).
     */
    void afterExit(boolean succeeded, long deadlineNanos) {
        if (classList == null) {
            return;
        }
        try {
            if (succeeded && Files.size(classList) > 0 && deadlineNanos - System.nanoTime() > DUMP_TIME_NANOS) {
                dump(deadlineNanos);
            }
        } catch (IOException e) {
            // no list (the JVM could not write it) or a read-only cache: the next run trains again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteQuietly(classList);
            TRAINING.remove(archive);
            classList = null;
        }
    }

    /** What a dump takes at most on a slow machine; with less time left, a run does not start one. */
    static final long DUMP_TIME_NANOS = TimeUnit.SECONDS.toNanos(2);

    private void dump(long deadlineNanos) throws IOException, InterruptedException {
        Path pending = temporary(".jsa");
        Path log = temporary(".log");
        List<String> command = new ArrayList<>();
        command.add(resolved.java());
        command.addAll(ExporterCommands.FRESH_GC_OPTIONS); // heap objects are archived for the GC that maps them
        command.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList,
                "-XX:SharedArchiveFile=" + pending, "-classpath", resolved.classpath()));
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            boolean exited = process.waitFor(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (!exited) {
                process.destroyForcibly().waitFor(); // out of time: no verdict, a later run trains again
            } else if (process.exitValue() == 0 && Files.isRegularFile(pending)) {
                publish(pending, archive);
                removeOlderBuilds();
            } else {
                publish(log, failed);
            }
        } finally {
            deleteQuietly(pending);
            deleteQuietly(log);
        }
    }

    /** The archives and failures of this script's earlier builds (an archive is about 10 MB), and what
     * interrupted runs left: temporary files older than an hour. */
    private void removeOlderBuilds() {
        long hourAgo = System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1);
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(archive.getParent(), prefix + "*")) {
            for (Path sibling : siblings) {
                String name = sibling.getFileName().toString();
                boolean stale = name.endsWith(".tmp") && Files.getLastModifiedTime(sibling).toMillis() < hourAgo;
                if (!sibling.equals(archive) && (name.endsWith(".jsa") || name.endsWith(".failed") || stale)) {
                    deleteQuietly(sibling); // a JVM that mapped it keeps its mapping
                }
            }
        } catch (IOException e) {
            // best effort: they are only disk space
        }
    }

    private Path temporary(String suffix) {
        return archive.resolveSibling(archive.getFileName() + "." + Long.toHexString(
                ThreadLocalRandom.current().nextLong()) + suffix + ".tmp");
    }

    private static void publish(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static List<String> concat(String option) {
        return List.of(option, QUIET.get(0), QUIET.get(1));
    }
}
