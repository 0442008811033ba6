import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;

/**
 * The worker end of the worker protocol: a JVM that runs one exporter for the server, many runs at a time.
 * Each run gets a thread of its own for its duration, a new exporter instance and so a new registry, and its own
 * stdout and stderr ({@link RunCapture}). Run threads are kept for later runs (starting a thread costs more than
 * a whole noop run), each in a thread group of its own, which the threads a run starts join: a cancelled run's
 * threads are interrupted together, and those still alive after it ended are reported. When the server closes
 * the connection, or goes away, the worker exits.
 *
 * <p>The server starts it as {@code java ... WorkerMain EXPORTER_CLASS} with {@link WorkerProtocol#SOCKET_ENV}
 * and {@link WorkerProtocol#TOKEN_ENV} set; the exporter's own main is not called.
 */
public final class WorkerMain {
    /** {@code WorkerMain --describe CLASS}: print the exporter's options as JSON and exit (the server's pages). */
    static final String DESCRIBE = "--describe";
    /** How long a finished run's threads may take to end before they count as left running. */
    private static final long LEFTOVER_GRACE_MILLIS = 1000;

    private final Constructor<? extends Exporter> constructor;
    private final WorkerProtocol.Connection server;
    private final Map<Integer, Active> runs = new ConcurrentHashMap<>();
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService runThreads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.MINUTES,
            new SynchronousQueue<>(), task -> {
                String name = "run-thread-" + threads.incrementAndGet();
                return new Thread(new ThreadGroup(name), task, name);
            });

    /** A run in flight: its output, and once it started, its thread's group. */
    private static final class Active {
        final RunCapture capture = new RunCapture();
        volatile ThreadGroup group;
        volatile boolean cancelled;
    }

    private WorkerMain(Constructor<? extends Exporter> constructor, WorkerProtocol.Connection server) {
        this.constructor = constructor;
        this.server = server;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals(DESCRIBE)) {
            System.out.println(describe(Class.forName(args[1]).asSubclass(Exporter.class)));
            System.exit(0); // whatever the exporter's constructor started
        }
        Constructor<? extends Exporter> constructor = Class.forName(args[0]).asSubclass(Exporter.class)
                .getDeclaredConstructor();
        constructor.setAccessible(true);
        RunCapture.install();
        RunHarness.prime();
        WorkerProtocol.Connection server = WorkerProtocol.Connection.connect(
                Path.of(System.getenv(WorkerProtocol.SOCKET_ENV)));
        server.send(new WorkerProtocol.Hello(System.getenv(WorkerProtocol.TOKEN_ENV), ProcessHandle.current().pid()));
        WorkerMain worker = new WorkerMain(constructor, server);
        Runtime.getRuntime().addShutdownHook(new Thread(worker::lastWords, "last-words"));
        try {
            worker.serve();
        } finally {
            System.exit(0); // the server has gone: runs still in flight have no one to answer
        }
    }

    private void serve() throws IOException {
        for (WorkerProtocol.Message message; (message = server.receive()) != null; ) {
            if (message instanceof WorkerProtocol.Run run) {
                start(run);
            } else if (message instanceof WorkerProtocol.Cancel cancel) {
                Active active = runs.get(cancel.id());
                if (active != null) {
                    active.cancelled = true;
                    ThreadGroup group = active.group;
                    if (group != null) {
                        group.interrupt();
                    }
                }
            }
        }
    }

    /**
     * On System.exit (an exporter's, which ends every run of this JVM): each run's output so far, so the server
     * can show it with the exit code it learns from the process.
     */
    private void lastWords() {
        runs.forEach((id, active) -> send(new WorkerProtocol.Result(id, WorkerProtocol.EXITING, null,
                active.capture.stdout(), active.capture.stderr())));
    }

    private void start(WorkerProtocol.Run run) {
        Active active = new Active();
        runs.put(run.id(), active);
        runThreads.execute(() -> execute(run, active));
    }

    private void execute(WorkerProtocol.Run run, Active active) {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        Thread.interrupted(); // an interruption meant for this thread's last run
        active.group = group;
        if (active.cancelled) {
            Thread.currentThread().interrupt(); // cancelled before it started
        }
        RunCapture capture = active.capture;
        capture.begin();
        RunHarness.Gathered gathered;
        try {
            gathered = RunHarness.gather(constructor.newInstance(), run.arguments().toArray(String[]::new),
                    System.out, System.err); // routed to this run's capture
        } catch (Throwable e) { // a broken exporter (a constructor that throws, an Error) fails only its run
            e.printStackTrace();
            gathered = new RunHarness.Gathered(ExitCodes.EXPORTER_FAILED, null);
        } finally {
            capture.end();
        }
        String metrics = gathered.metrics();
        int exitCode = gathered.exitCode();
        String stderr = capture.stderr();
        if (metrics != null && metrics.length() > WorkerProtocol.MAX_METRICS / 3
                && metrics.getBytes(StandardCharsets.UTF_8).length > WorkerProtocol.MAX_METRICS) {
            stderr += "worker: the metrics take " + metrics.getBytes(StandardCharsets.UTF_8).length
                    + " bytes, more than the " + WorkerProtocol.MAX_METRICS + " a run may give\n";
            metrics = null;
            exitCode = ExitCodes.EXPORTER_FAILED;
        }
        runs.remove(run.id());
        send(new WorkerProtocol.Result(run.id(), exitCode, metrics, capture.stdout(), stderr));
        Thread.interrupted();
        List<String> left = leftovers(group);
        if (!left.isEmpty()) {
            send(new WorkerProtocol.Leftovers(run.id(), left));
        }
    }

    /** Threads of the run still alive after a grace period (daemon threads are taken as deliberate services). */
    private static List<String> leftovers(ThreadGroup group) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LEFTOVER_GRACE_MILLIS);
        List<String> left = new ArrayList<>();
        Thread[] threads = new Thread[group.activeCount() + 8];
        int count = group.enumerate(threads, true);
        for (int i = 0; i < count; i++) {
            Thread thread = threads[i];
            if (thread == Thread.currentThread() || thread.isDaemon()) {
                continue;
            }
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                left.add(thread.getName());
            }
        }
        return left;
    }

    /**
     * The options of a new instance's picocli model, hidden ones aside, as one line of ASCII JSON: names, paramLabel,
     * description (interpolated: the server runs this with an empty environment), default (as declared, {@code
     * ${env:X:-y}} uninterpolated), required, arity, type, repeatable.
     */
    static String describe(Class<? extends Exporter> type) throws ReflectiveOperationException {
        Constructor<? extends Exporter> constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        StringBuilder json = new StringBuilder("{\"options\":[");
        String separator = "";
        for (CommandLine.Model.OptionSpec option : new CommandLine(constructor.newInstance()).getCommandSpec().options()) {
            if (option.hidden()) {
                continue;
            }
            json.append(separator).append("{\"names\":[");
            for (int i = 0; i < option.names().length; i++) {
                json.append(i == 0 ? "" : ",").append(quote(option.names()[i]));
            }
            json.append("],\"paramLabel\":").append(quote(option.paramLabel()))
                    .append(",\"description\":").append(quote(String.join(" ", option.description())))
                    .append(",\"default\":").append(quote(option.defaultValueString()))
                    .append(",\"required\":").append(option.required())
                    .append(",\"arity\":").append(quote(option.arity().toString()))
                    .append(",\"type\":").append(quote(option.type().getSimpleName()))
                    .append(",\"repeatable\":").append(option.isMultiValue()).append('}');
            separator = ",";
        }
        return json.append("]}").toString();
    }

    private static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    private void send(WorkerProtocol.Message message) {
        try {
            server.send(message);
        } catch (IOException e) {
            // the server has gone; the main loop sees the connection end and exits
        }
    }
}
