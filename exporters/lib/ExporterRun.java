import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** One run of an exporter: parse its arguments, gather, then print, write and push. */
final class ExporterRun {
    /** Exit codes, documented in the README. */
    static final int OK = 0;
    static final int EXPORTER_FAILED = 1;
    static final int USAGE = CommandLine.ExitCode.USAGE;
    static final int OUTPUT_FAILED = 3;
    static final int PUSH_FAILED = 4;

    private static final ThreadLocal<PrintStream[]> STREAMS = new ThreadLocal<>();

    private ExporterRun() {
    }

    static int execute(Exporter exporter, String[] args, PrintStream out, PrintStream err) {
        String name = exporter.getClass().getSimpleName();
        STREAMS.set(new PrintStream[] {out, err});
        try {
            if (QuickOptions.bind(exporter, args)) {
                try {
                    return afterParse(exporter);
                } catch (Exporter.UsageError e) {
                    return usageError(name, e.getMessage(), new PrintWriter(err, true));
                } catch (Exception e) {
                    return failed(name, exporter, e, err);
                }
            }
            return withPicocli(exporter, name, args, out, err);
        } finally {
            STREAMS.remove();
        }
    }

    /**
     * A JVM that runs once: simpleclient compiles its name patterns when it loads, and on JDK 17 their
     * character classes are the JVM's first lambdas, which cost a fresh JVM about 4 ms; a second thread pays
     * that while this one binds the options. (A warm worker has loaded it long ago and does not call this.)
     */
    static void loadSimpleclientAside() {
        Thread thread = new SimpleclientLoader();
        thread.setDaemon(true);
        thread.start();
    }

    /** A class, not a lambda: a lambda here would pay the very cost it is meant to move. */
    private static final class SimpleclientLoader extends Thread {
        SimpleclientLoader() {
            super("simpleclient-loader");
        }

        @Override
        public void run() {
            try {
                io.prometheus.client.Collector.sanitizeMetricName("loaded");
            } catch (Throwable e) {
                // the run itself meets the same error where it uses simpleclient, and reports it there
            }
        }
    }

    /**
     * Ends the JVM with {@code status} from a main, which must return right after: when the status is 0 and
     * no thread but daemons and this one is alive, by letting main return (the JVM then ends with 0, its
     * shutdown hooks run as usual); else with System.exit. Since JDK 21, System.exit first sets up the JDK's
     * System.Logger to log the call, about 10 ms of a JVM that lives 40.
     */
    static void exitFromMain(int status) {
        if (status != OK || !onlyDaemonsBesides(Thread.currentThread())) {
            System.exit(status);
        }
    }

    /** Whether every live thread but {@code self} is a daemon (which the JVM does not wait for). */
    static boolean onlyDaemonsBesides(Thread self) {
        ThreadGroup root = self.getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int count = root.enumerate(threads, true);
        if (count == threads.length) {
            return false; // more threads than we saw: do not guess
        }
        for (int i = 0; i < count; i++) {
            if (threads[i] != self && !threads[i].isDaemon() && threads[i].isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** The general path: picocli parses, reports usage errors and help, and runs {@link #afterParse}. */
    private static int withPicocli(Exporter exporter, String name, String[] args, PrintStream out, PrintStream err) {
        CommandLine command = new CommandLine(exporter).setCommandName(name);
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        command.setParameterExceptionHandler(ExporterRun::usageError);
        command.setExecutionExceptionHandler((e, cmd, parsed) -> e instanceof Exporter.UsageError
                ? usageError(name, e.getMessage(), cmd.getErr()) : failed(name, exporter, e, err));
        return command.execute(args);
    }

    /** The exporter failed: its error on stderr (with the stack trace in debug mode). */
    private static int failed(String name, Exporter exporter, Exception e, PrintStream err) {
        err.println(name + ": error: " + describe(e));
        if (exporter.debug) {
            e.printStackTrace(err);
        }
        return EXPORTER_FAILED;
    }

    /** Runs once the options are parsed; exceptions from gatherMetrics() reach the handler above. */
    static int afterParse(Exporter exporter) throws Exception {
        RunOptions options = exporter.runOptions;
        options.validate();
        PrintStream out = STREAMS.get()[0];
        PrintStream err = STREAMS.get()[1];
        String name = exporter.getClass().getSimpleName();

        exporter.gatherMetrics();
        String text = Exposition.text(exporter.metrics);

        if (!options.noPrint) {
            out.print(text);
            out.flush();
        }
        int status = OK;
        if (options.outputFile != null) {
            try {
                Exposition.writeAtomically(options.outputFile, text);
            } catch (IOException e) {
                err.println(name + ": error: cannot write metrics to " + options.outputFile + ": " + describe(e));
                status = OUTPUT_FAILED;
            }
        }
        if (options.pushgateway != null) {
            try {
                Push.push(options.pushgateway, exporter.jobName(), options.groupingKey, exporter.metrics, System.getenv());
            } catch (IOException e) {
                err.println(name + ": error: push to Pushgateway " + options.pushgateway + " failed: " + describe(e));
                status = status == OK ? PUSH_FAILED : status;
            }
        }
        return status;
    }

    /** A usage error is one line naming the bad part, and where to read more. */
    static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        return usageError(command.getCommandName(), e.getMessage(), command.getErr());
    }

    private static int usageError(String name, String message, PrintWriter err) {
        err.println(name + ": " + message);
        err.println("Try '" + name + " --help' for the options.");
        err.flush();
        return USAGE;
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        String type = e instanceof IOException || e instanceof RuntimeException && !(e instanceof ParameterException)
                ? e.getClass().getSimpleName() + ": " : "";
        return type + message.strip();
    }
}
