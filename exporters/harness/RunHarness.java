import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * One run of an exporter: parse its arguments with picocli, gather its metrics, then (on the command line)
 * print, write and push them. The server's workers call {@link #gather} and send the text back themselves.
 */
final class RunHarness {
    /** What gathering gave: the exit code, and the metrics text when gathering succeeded (else null). */
    record Gathered(int exitCode, String metrics) {
    }

    private RunHarness() {
    }

    /** The command line: parse, gather, then print, write and push as the options ask; the exit code. */
    static int run(Exporter exporter, String[] args, PrintStream out, PrintStream err) {
        String name = nameOf(exporter);
        CommandLine command = parse(exporter, args, out, err);
        if (command == null) {
            return ExitCodes.USAGE;
        }
        if (command.isUsageHelpRequested()) {
            command.usage(out);
            return ExitCodes.OK;
        }
        Gathered gathered = gather(exporter, err);
        if (gathered.metrics() == null) {
            return gathered.exitCode();
        }
        RunOptions options = exporter.runOptions;
        String text = gathered.metrics();
        if (!options.noPrint) {
            out.print(text);
            out.flush();
        }
        int status = ExitCodes.OK;
        if (options.outputFile != null) {
            try {
                Exposition.writeAtomically(options.outputFile, text);
            } catch (IOException e) {
                err.println(name + ": error: cannot write metrics to " + options.outputFile + ": " + describe(e));
                status = ExitCodes.OUTPUT_FAILED;
            }
        }
        if (options.pushgateway != null) {
            try {
                Push.push(options.pushgateway, exporter.jobName(), options.groupingKey, text, System.getenv());
            } catch (IOException e) {
                err.println(name + ": error: push to Pushgateway " + options.pushgateway + " failed: " + describe(e));
                status = status == ExitCodes.OK ? ExitCodes.PUSH_FAILED : status;
            }
        }
        return status;
    }

    /**
     * A run for the server: parse and gather only, the output options aside (where the metrics go is the
     * server's business). Help is refused: it is for the command line.
     */
    static Gathered gather(Exporter exporter, String[] args, PrintStream out, PrintStream err) {
        CommandLine command = parse(exporter, args, out, err);
        if (command == null) {
            return new Gathered(ExitCodes.USAGE, null);
        }
        if (command.isUsageHelpRequested()) {
            usageError(nameOf(exporter), "help is for the command line: ./jbang metrics --exporter "
                    + nameOf(exporter) + " --help", new PrintWriter(err, true));
            return new Gathered(ExitCodes.USAGE, null);
        }
        return gather(exporter, err);
    }

    /** Binds the options; null after a usage error, which is then printed on {@code err}. */
    private static CommandLine parse(Exporter exporter, String[] args, PrintStream out, PrintStream err) {
        String name = nameOf(exporter);
        CommandLine command = new CommandLine(exporter).setCommandName(name);
        if (out != System.out) { // else picocli makes its writers when it needs them (help, errors)
            command.setOut(new PrintWriter(out, true));
        }
        if (err != System.err) {
            command.setErr(new PrintWriter(err, true));
        }
        try {
            command.parseArgs(args);
            if (!command.isUsageHelpRequested()) {
                exporter.runOptions.validate(command);
            }
            return command;
        } catch (ParameterException e) {
            usageError(name, e.getMessage(), command.getErr());
            return null;
        }
    }

    /** Runs gatherMetrics() and renders the registry; a failure is reported on {@code err}. */
    private static Gathered gather(Exporter exporter, PrintStream err) {
        String name = nameOf(exporter);
        try {
            exporter.gatherMetrics();
            return new Gathered(ExitCodes.OK, Exposition.text(exporter.metrics));
        } catch (Exporter.UsageError e) {
            usageError(name, e.getMessage(), new PrintWriter(err, true));
            return new Gathered(ExitCodes.USAGE, null);
        } catch (Exception e) {
            err.println(name + ": error: " + describe(e));
            if (exporter.debug) {
                e.printStackTrace(err);
            }
            return new Gathered(ExitCodes.EXPORTER_FAILED, null);
        }
    }

    /**
     * Loads and links what every run uses (picocli's model, simpleclient, the exposition), on an exporter of its
     * own: a worker does it before it says it is ready, so its first run does not pay for it.
     */
    static void prime() {
        Exporter primer = new Primer();
        gather(primer, new String[] {"--debug"}, new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(OutputStream.nullOutputStream()));
    }

    /** An exporter that does nothing, for {@link #prime}. */
    private static final class Primer extends Exporter {
        @picocli.CommandLine.Option(names = "--target")
        String target = "primer";

        @Override
        public void gatherMetrics() {
            io.prometheus.client.Gauge.build().name("primer").help("h").labelNames("target").register(metrics)
                    .labels(target).set(1);
        }
    }

    static String nameOf(Exporter exporter) {
        return exporter.getClass().getSimpleName();
    }

    /** picocli's handler for the commands that use {@code execute} (the dispatcher, the server). */
    static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        return usageError(command.getCommandName(), e.getMessage(), command.getErr());
    }

    /** A usage error is one line naming the bad part, and where to read more. */
    static int usageError(String name, String message, PrintWriter err) {
        err.println(name + ": " + message);
        err.println("Try '" + name + " --help' for the options.");
        err.flush();
        return ExitCodes.USAGE;
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
