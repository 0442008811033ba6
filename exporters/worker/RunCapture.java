import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;

/**
 * A run's stdout and stderr in a worker, where runs share one JVM: System.out and System.err are routed to the
 * run of the thread that writes (threads a run starts inherit it), into buffers bounded at
 * {@link WorkerProtocol#MAX_CAPTURE} bytes each. Output of no run, or of a run that has ended, goes to the
 * worker's own stderr, which the server logs.
 */
final class RunCapture {
    private static final InheritableThreadLocal<RunCapture> CURRENT = new InheritableThreadLocal<>();

    private final Bounded stdout = new Bounded();
    private final Bounded stderr = new Bounded();
    private volatile boolean open = true;

    RunCapture() {
    }

    /** Routes System.out and System.err by run, once per worker. */
    static void install() {
        PrintStream worker = System.err;
        System.setOut(new PrintStream(new Routing(capture -> capture.stdout, worker), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Routing(capture -> capture.stderr, worker), true, StandardCharsets.UTF_8));
    }

    /** From now on, the calling thread's output is this run's, and so is that of the threads it starts. */
    void begin() {
        CURRENT.set(this);
    }

    /** The run has ended: what its threads write from now on is the worker's. */
    void end() {
        System.out.flush();
        System.err.flush();
        open = false;
        CURRENT.remove();
    }

    String stdout() {
        return stdout.text();
    }

    String stderr() {
        return stderr.text();
    }

    /** The first MAX_CAPTURE bytes, and a count of the rest. */
    private static final class Bounded extends OutputStream {
        private byte[] bytes = new byte[256];
        private int length;
        private long dropped;

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] source, int offset, int count) {
            int kept = Math.min(count, WorkerProtocol.MAX_CAPTURE - length);
            if (kept > 0) {
                if (length + kept > bytes.length) {
                    bytes = Arrays.copyOf(bytes, Math.min(WorkerProtocol.MAX_CAPTURE,
                            Math.max(bytes.length * 2, length + kept)));
                }
                System.arraycopy(source, offset, bytes, length, kept);
                length += kept;
            }
            dropped += count - Math.max(kept, 0);
        }

        synchronized String text() {
            String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
            return dropped == 0 ? text : text + "\n[... " + dropped + " more bytes cut]\n";
        }
    }

    /** System.out or System.err of a worker: to the writing thread's run, or to the worker's own stderr. */
    private static final class Routing extends OutputStream {
        private final Function<RunCapture, OutputStream> stream;
        private final OutputStream worker;

        Routing(Function<RunCapture, OutputStream> stream, OutputStream worker) {
            this.stream = stream;
            this.worker = worker;
        }

        private OutputStream target() {
            RunCapture capture = CURRENT.get();
            return capture != null && capture.open ? stream.apply(capture) : worker;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            target().write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
            target().write(bytes, offset, length);
        }

        @Override
        public void flush() throws java.io.IOException {
            worker.flush();
        }
    }
}
