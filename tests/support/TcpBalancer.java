import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A Kubernetes Service in miniature, on 127.0.0.1: each new connection goes to the next backend in turn, or to the
 * one after when that one refuses (a replica that has stopped), and its bytes are copied both ways.
 */
final class TcpBalancer implements AutoCloseable {
    private final ServerSocket listener;
    private final List<Integer> backends;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicIntegerArray connections;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private TcpBalancer(ServerSocket listener, List<Integer> backends) {
        this.listener = listener;
        this.backends = List.copyOf(backends);
        this.connections = new AtomicIntegerArray(backends.size());
    }

    /** Listens on a free loopback port, spreading connections over the given loopback ports. */
    static TcpBalancer start(List<Integer> backendPorts) throws IOException {
        TcpBalancer balancer = new TcpBalancer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), backendPorts);
        Thread accept = new Thread(balancer::acceptLoop, "balancer-accept");
        accept.setDaemon(true);
        accept.start();
        return balancer;
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Connections handed to each backend so far, in the order of the ports given. */
    String connectionsPerBackend() {
        return connections.toString();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                open.add(client);
                Thread relay = new Thread(() -> relay(client), "balancer-relay");
                relay.setDaemon(true);
                relay.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void relay(Socket client) {
        Socket backend = connect(next.getAndIncrement());
        if (backend == null) {
            close(client);
            return;
        }
        open.add(backend);
        Thread back = new Thread(() -> copy(backend, client), "balancer-copy");
        back.setDaemon(true);
        back.start();
        copy(client, backend);
    }

    /** The first backend, from {@code start} on, that accepts the connection; null when none does. */
    private Socket connect(int start) {
        for (int i = 0; i < backends.size(); i++) {
            int index = Math.floorMod(start + i, backends.size());
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), backends.get(index)), 2000);
                connections.incrementAndGet(index);
                return socket;
            } catch (IOException refused) {
                close(socket);
            }
        }
        return null;
    }

    /** Copies until either side ends, then closes both, as a proxy does. */
    private void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ended) {
            // one side closed: the other follows
        } finally {
            close(from);
            close(to);
        }
    }

    private void close(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            open.forEach(this::close);
        }
    }
}
