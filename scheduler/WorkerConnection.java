import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server end of the worker protocol: one worker JVM (exporters/worker/WorkerMain.java) in a process group
 * of its own, its connection, and the runs it has in flight. Its stdout and stderr carry no protocol: what an
 * exporter's stray threads or children print there goes to the server's log, a line at a time, prefixed.
 */
final class WorkerConnection {
    /** What a worker tells its pool; called on the worker's reader thread. */
    interface Listener {
        void ready(WorkerConnection worker);

        void finished(WorkerConnection worker, WorkerProtocol.Result result);

        void leftovers(WorkerConnection worker, WorkerProtocol.Leftovers leftovers);

        /** The worker is gone (or never became ready): why, in words. */
        void ended(WorkerConnection worker, String why);
    }

    private static final long PAGE_SIZE = 4096;
    private static final int KEPT_LINES = 20;
    /** Lines of a worker's own output logged per minute; more are counted and dropped. */
    private static final int LOG_LINES_PER_MINUTE = 120;

    final String exporter;
    final String fingerprint;
    final BuiltExporter.Mode mode;
    final int slot;
    private final Process process;
    private final Listener listener;
    private final AtomicBoolean over = new AtomicBoolean();
    private final Deque<String> lastLines = new ArrayDeque<>();
    private volatile WorkerProtocol.Connection connection;

    // guarded by the pool's lock
    final Map<Integer, Run> inFlight = new HashMap<>();
    boolean ready;
    int runs;
    /** Runs sent to it, ever. */
    long sent;
    /** A look at its children is scheduled. */
    boolean childrenCheckPending;
    long idleSinceNanos = System.nanoTime();
    WorkerPool.Retirement draining;
    boolean killed;
    long memoryCheckedNanos = System.nanoTime() - 2_000_000_000L;

    private WorkerConnection(String exporter, BuiltExporter built, BuiltExporter.Mode mode, int slot, Process process,
            Listener listener) {
        this.exporter = exporter;
        this.fingerprint = built.fingerprint();
        this.mode = mode;
        this.slot = slot;
        this.process = process;
        this.listener = listener;
    }

    /** Starts a worker JVM that will connect to {@code sockets}; {@link Listener#ready} follows, or {@code ended}. */
    static WorkerConnection start(String exporter, BuiltExporter built, BuiltExporter.Mode mode,
            Map<String, String> environment, int slot, WorkerSockets sockets, Listener listener) throws IOException {
        List<String> command = new ArrayList<>(ProcessGroups.leaderPrefix());
        command.addAll(built.workerCommand(mode));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true);
        String token = sockets.newToken();
        builder.environment().putAll(environment); // a module's, which may hold secrets: never on the command line
        builder.environment().put(WorkerProtocol.SOCKET_ENV, sockets.path().toString());
        builder.environment().put(WorkerProtocol.TOKEN_ENV, token);
        Process process = builder.start();
        WorkerConnection worker = new WorkerConnection(exporter, built, mode, slot, process, listener);
        sockets.expect(token, worker);
        Thread log = new Thread(worker::logOutput, "worker-log-" + process.pid());
        log.setDaemon(true);
        log.start();
        process.onExit().thenRun(() -> {
            sockets.forget(token);
            if (worker.connection == null) {
                worker.end("exited (" + worker.describeExit() + ") before it was ready" + worker.lastLines());
            }
        });
        return worker;
    }

    /** The worker connected and proved itself: serve its messages on this thread until the connection ends. */
    void serve(WorkerProtocol.Connection connection) {
        this.connection = connection;
        listener.ready(this);
        String why;
        try {
            for (WorkerProtocol.Message message; (message = connection.receive()) != null; ) {
                if (message instanceof WorkerProtocol.Result result) {
                    listener.finished(this, result);
                } else if (message instanceof WorkerProtocol.Leftovers leftovers) {
                    listener.leftovers(this, leftovers);
                }
            }
            why = null;
        } catch (IOException e) {
            why = "broke the worker protocol (" + e.getMessage() + ")";
        }
        closeConnection();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                ProcessGroups.kill(process.toHandle());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        end(why != null ? why : "ended (" + describeExit() + ")" + lastLines());
    }

    void send(Run run) throws IOException {
        connection.send(new WorkerProtocol.Run(run.id, run.request.arguments()));
    }

    /** Interrupts the run's threads; a worker that is gone needs nothing more. */
    void cancel(Run run) {
        try {
            connection.send(new WorkerProtocol.Cancel(run.id));
        } catch (IOException e) {
            // the worker is gone: its reader reports it
        }
    }

    /** Kills the worker and every process of its group, and waits (briefly) until they are gone. */
    void kill() {
        closeConnection();
        ProcessGroups.kill(process.toHandle());
    }

    long pid() {
        return process.pid();
    }

    /** The processes the worker JVM started that are still alive (those of its runs). */
    List<ProcessHandle> children() {
        return process.children().filter(ProcessHandle::isAlive).toList();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Resident memory, from /proc (0 where there is none). */
    long residentBytes() {
        try {
            String[] statm = Files.readString(Path.of("/proc", Long.toString(process.pid()), "statm")).split(" ");
            return Long.parseLong(statm[1]) * PAGE_SIZE;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private void end(String why) {
        if (over.compareAndSet(false, true)) {
            listener.ended(this, why);
        }
    }

    private void closeConnection() {
        WorkerProtocol.Connection current = connection;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                // closing is all that is asked
            }
        }
    }

    /** How the process ended, in words (a JVM killed by signal N exits with 128 + N). */
    String describeExit() {
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                return "still running";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "still running";
        }
        int code = process.exitValue();
        return switch (code) {
            case 128 + 9 -> "killed by signal 9, SIGKILL: the kernel's out-of-memory killer, or an operator";
            case 128 + 15 -> "killed by signal 15, SIGTERM";
            case 128 + 6 -> "killed by signal 6, SIGABRT: the JVM crashed";
            case 128 + 11 -> "killed by signal 11, SIGSEGV: the JVM crashed";
            default -> code > 128 ? "killed by signal " + (code - 128) : "exit " + code;
        };
    }

    /** Its exit code as the run's, for a run it ended (System.exit in an exporter); 1 when it was a signal. */
    int exitCode() {
        try {
            if (process.waitFor(2, TimeUnit.SECONDS) && process.exitValue() < 128) {
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 1;
    }

    private String lastLines() {
        synchronized (lastLines) {
            return lastLines.isEmpty() ? "" : "; its last output:\n" + String.join("\n", lastLines);
        }
    }

    private void logOutput() {
        String prefix = "worker " + exporter + "[" + process.pid() + "]: ";
        long windowStart = System.nanoTime();
        int logged = 0;
        long dropped = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                String cut = line.length() > 2000 ? line.substring(0, 2000) + " [cut]" : line;
                synchronized (lastLines) {
                    lastLines.addLast(cut);
                    if (lastLines.size() > KEPT_LINES) {
                        lastLines.removeFirst();
                    }
                }
                if (System.nanoTime() - windowStart > TimeUnit.MINUTES.toNanos(1)) {
                    if (dropped > 0) {
                        System.err.println(prefix + "(" + dropped + " more lines not logged)");
                    }
                    windowStart = System.nanoTime();
                    logged = 0;
                    dropped = 0;
                }
                if (logged++ < LOG_LINES_PER_MINUTE) {
                    System.err.println(prefix + cut);
                } else {
                    dropped++;
                }
            }
        } catch (IOException e) {
            // the worker is gone
        }
    }
}
