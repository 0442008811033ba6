import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker protocol, both ends: messages between the server and a worker JVM, over a Unix domain socket of
 * their own. Never over the worker's stdin or stdout, which an exporter, or a child that inherited them, may
 * write to. A message is a frame: its length (4 bytes, big-endian), its type (1 byte), then its fields; a string
 * is its UTF-8 length (-1 for null) and bytes. The worker says {@link Hello}; then the server sends {@link Run}s
 * and {@link Cancel}s, and the worker answers each run with a {@link Result}, and later, when the run left
 * threads running, {@link Leftovers}. Runs are concurrent: results come back in any order, by run id.
 */
final class WorkerProtocol {
    /** Where the worker connects, and the token it proves itself with: environment variables set by the server. */
    static final String SOCKET_ENV = "METRICS_WORKER_SOCKET";
    static final String TOKEN_ENV = "METRICS_WORKER_TOKEN";
    /** The most metrics text a run may give (UTF-8 bytes); more fails the run, naming the size. */
    static final int MAX_METRICS = 16 << 20;
    /** The most of a run's stdout and of its stderr that is kept; the rest is counted and dropped. */
    static final int MAX_CAPTURE = 1 << 20;
    /**
     * The exit code of a {@link Result} sent while the worker is exiting (an exporter called System.exit): the
     * run's output so far; its exit code is the process's, which the server learns when the process ends.
     */
    static final int EXITING = Integer.MIN_VALUE;
    private static final int MAX_FRAME = MAX_METRICS + 2 * MAX_CAPTURE + 4096;

    private static final byte HELLO = 1;
    private static final byte RUN = 2;
    private static final byte CANCEL = 3;
    private static final byte RESULT = 4;
    private static final byte LEFTOVERS = 5;

    private WorkerProtocol() {
    }

    sealed interface Message permits Hello, Run, Cancel, Result, Leftovers {
    }

    /** Worker to server, first: who it is. */
    record Hello(String token, long pid) implements Message {
    }

    /** Server to worker: run the exporter once with these arguments. */
    record Run(int id, List<String> arguments) implements Message {
    }

    /** Server to worker: the run is past its deadline; interrupt its threads. */
    record Cancel(int id) implements Message {
    }

    /** Worker to server: how a run ended; {@code metrics} is null unless it gathered them. */
    record Result(int id, int exitCode, String metrics, String stdout, String stderr) implements Message {
    }

    /** Worker to server: threads a finished run left running (a worker that holds them is replaced). */
    record Leftovers(int id, List<String> threads) implements Message {
    }

    /** One end of a connection: sends from any thread, receives on one. */
    static final class Connection implements Closeable {
        private final SocketChannel channel;
        private final ByteBuffer header = ByteBuffer.allocate(4);

        Connection(SocketChannel channel) {
            this.channel = channel;
        }

        static Connection connect(Path socket) throws IOException {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            return new Connection(channel);
        }

        void send(Message message) throws IOException {
            Frame frame = new Frame();
            if (message instanceof Hello hello) {
                frame.type(HELLO).string(hello.token()).number(hello.pid());
            } else if (message instanceof Run run) {
                frame.type(RUN).number(run.id()).strings(run.arguments());
            } else if (message instanceof Cancel cancel) {
                frame.type(CANCEL).number(cancel.id());
            } else if (message instanceof Result result) {
                frame.type(RESULT).number(result.id()).number(result.exitCode()).string(result.metrics())
                        .string(result.stdout()).string(result.stderr());
            } else if (message instanceof Leftovers leftovers) {
                frame.type(LEFTOVERS).number(leftovers.id()).strings(leftovers.threads());
            }
            ByteBuffer bytes = frame.finish();
            synchronized (this) {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
        }

        /** The next message, or null when the other end closed the connection. */
        Message receive() throws IOException {
            header.clear();
            if (!fill(header, true)) {
                return null;
            }
            int length = header.flip().getInt();
            if (length < 1 || length > MAX_FRAME) {
                throw new IOException("bad frame length " + length);
            }
            ByteBuffer body = ByteBuffer.allocate(length);
            fill(body, false);
            body.flip();
            byte type = body.get();
            return switch (type) {
                case HELLO -> new Hello(string(body), body.getLong());
                case RUN -> new Run(body.getInt(), strings(body));
                case CANCEL -> new Cancel(body.getInt());
                case RESULT -> new Result(body.getInt(), body.getInt(), string(body), string(body), string(body));
                case LEFTOVERS -> new Leftovers(body.getInt(), strings(body));
                default -> throw new IOException("unknown message type " + type);
            };
        }

        private boolean fill(ByteBuffer buffer, boolean endAllowed) throws IOException {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer) < 0) {
                    if (endAllowed && buffer.position() == 0) {
                        return false;
                    }
                    throw new EOFException("connection closed within a message");
                }
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static String string(ByteBuffer body) throws IOException {
        int length = body.getInt();
        if (length < 0) {
            return null;
        }
        if (length > body.remaining()) {
            throw new IOException("bad string length " + length);
        }
        String text = new String(body.array(), body.position(), length, StandardCharsets.UTF_8);
        body.position(body.position() + length);
        return text;
    }

    private static List<String> strings(ByteBuffer body) throws IOException {
        int count = body.getInt();
        if (count < 0 || count > body.remaining() / 4) {
            throw new IOException("bad list length " + count);
        }
        List<String> strings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            strings.add(string(body));
        }
        return strings;
    }

    /** A frame being written: its length is filled in by {@link #finish}. */
    private static final class Frame {
        private ByteBuffer buffer = ByteBuffer.allocate(256).putInt(0);

        Frame type(byte type) {
            room(1).put(type);
            return this;
        }

        Frame number(int value) {
            room(4).putInt(value);
            return this;
        }

        Frame number(long value) {
            room(8).putLong(value);
            return this;
        }

        Frame string(String value) {
            if (value == null) {
                return number(-1);
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            room(4 + bytes.length).putInt(bytes.length).put(bytes);
            return this;
        }

        Frame strings(List<String> values) {
            number(values.size());
            values.forEach(this::string);
            return this;
        }

        private ByteBuffer room(int bytes) {
            if (buffer.remaining() < bytes) {
                ByteBuffer larger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
                buffer = larger.put(buffer.flip());
            }
            return buffer;
        }

        ByteBuffer finish() {
            buffer.putInt(0, buffer.position() - 4);
            return buffer.flip();
        }
    }
}
