import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Unix domain socket workers connect to, in the server's private directory: each connection is served on
 * a thread of its own, and belongs to the worker whose token its first message names. Should the socket go (a
 * cleaner of old temporary files), it is made again before the next worker starts.
 */
final class WorkerSockets implements Closeable {
    /** sun_path holds 108 bytes on Linux, the terminating NUL included. */
    static final int MAX_PATH_BYTES = 107;

    private final Path path;
    private volatile ServerSocketChannel listener;
    private final Map<String, WorkerConnection> expected = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    WorkerSockets(Path directory) throws IOException {
        this.path = directory.resolve("workers.sock");
        if (path.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new IOException("the workers' socket path " + path + " is longer than " + MAX_PATH_BYTES
                    + " bytes: set TMPDIR to a shorter directory");
        }
        listen();
    }

    private synchronized void listen() throws IOException {
        ServerSocketChannel old = listener;
        if (old != null) {
            old.close();
        }
        Files.createDirectories(path.getParent(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.deleteIfExists(path);
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(path));
        listener = channel;
        Thread acceptor = new Thread(() -> accept(channel), "worker-sockets");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The socket a new worker connects to, made again if it is gone. */
    Path path() throws IOException {
        if (!Files.exists(path)) {
            synchronized (this) {
                if (!Files.exists(path)) {
                    System.err.println("server: the workers' socket " + path + " was removed: made again");
                    listen();
                }
            }
        }
        return path;
    }

    String newToken() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    void expect(String token, WorkerConnection worker) {
        expected.put(token, worker);
    }

    void forget(String token) {
        expected.remove(token);
    }

    private void accept(ServerSocketChannel listening) {
        while (listening.isOpen()) {
            SocketChannel channel;
            try {
                channel = listening.accept();
            } catch (IOException e) {
                return; // closed at shutdown
            }
            Thread reader = new Thread(() -> handshake(channel), "worker-reader");
            reader.setDaemon(true);
            reader.start();
        }
    }

    private void handshake(SocketChannel channel) {
        WorkerProtocol.Connection connection = new WorkerProtocol.Connection(channel);
        try {
            if (connection.receive() instanceof WorkerProtocol.Hello hello && hello.token() != null) {
                WorkerConnection worker = expected.remove(hello.token());
                if (worker != null) {
                    Thread.currentThread().setName("worker-reader-" + worker.pid());
                    worker.serve(connection);
                    return;
                }
            }
        } catch (IOException e) {
            // not one of ours, or gone at once
        }
        try {
            connection.close();
        } catch (IOException e) {
            // closing is all that is asked
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        Files.deleteIfExists(path);
    }
}
