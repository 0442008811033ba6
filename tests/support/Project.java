import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository is, and small facts tests need about this machine. */
final class Project {
    private Project() {
    }

    /** The repository root: the working directory of {@code ./jbang test}, or one of its parents. */
    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("jbang-catalog.json")) && Files.isRegularFile(dir.resolve("metrics.java"))) {
                return dir;
            }
        }
        throw new IllegalStateException("run the tests from the repository (no metrics.java above " + Path.of("").toAbsolutePath() + ")");
    }

    static Path jbang() {
        return root().resolve("jbang");
    }

    /** A port that was free on 127.0.0.1 a moment ago. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
