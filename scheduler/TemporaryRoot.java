import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The server's private directory (mode 0700), made at start and removed at exit: it holds the socket its workers
 * connect to. Under {@code TMPDIR} when it is set, as POSIX tools do (the JVM ignores it), else under the JVM's
 * temporary directory.
 */
final class TemporaryRoot {
    private static final String PREFIX = "metrics-server-";

    private TemporaryRoot() {
    }

    /** Makes the directory; an unusable TMPDIR is an error naming it, never silently replaced. */
    static Path create(Map<String, String> env) throws IOException {
        String tmpdir = env.get("TMPDIR");
        var owner = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        if (tmpdir != null && !tmpdir.isBlank()) {
            try {
                return Files.createTempDirectory(Path.of(tmpdir), PREFIX, owner);
            } catch (IOException | RuntimeException e) {
                throw new IOException("TMPDIR must be a directory the server can write to, got '" + tmpdir + "' ("
                        + e + ")", e);
            }
        }
        return Files.createTempDirectory(PREFIX, owner);
    }
}
