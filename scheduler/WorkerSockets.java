import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Unix domain socket workers connect to, in the server's private directory: each connection is served on
 * a thread of its own, and belongs to the worker whose token its first message names.
 */
final class WorkerSockets implements Closeable {
    /** sun_path holds 108 bytes on Linux, the terminating NUL included. */
    static final int MAX_PATH_BYTES = 107;

    private final Path path;
    private final ServerSocketChannel listener;
    private final Map<String, WorkerConnection> expected = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    WorkerSockets(Path directory) throws IOException {
        this.path = directory.resolve("workers.sock");
        if (path.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new IOException("the workers' socket path " + path + " is longer than " + MAX_PATH_BYTES
                    + " bytes: set TMPDIR to a shorter directory");
        }
        Files.deleteIfExists(path);
        listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(path));
        Thread acceptor = new Thread(this::accept, "worker-sockets");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    Path path() {
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

    private void accept() {
        while (listener.isOpen()) {
            SocketChannel channel;
            try {
                channel = listener.accept();
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
