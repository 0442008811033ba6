///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES exporters/Exporter.java
//SOURCES dispatch/ExporterLocator.java
//SOURCES dispatch/BundledExporters.java
//SOURCES dispatch/ExporterCommands.java
//SOURCES dispatch/Cache.java
//SOURCES dispatch/InProcess.java
//SOURCES dispatch/ClassDataArchive.java
//DESCRIPTION Runs an exporter by name: prints its metrics, writes them to a file, pushes them to a Pushgateway.

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** The dispatcher: finds the exporter, runs it in its own JVM with every other argument, in order. */
@Command(name = "metrics", sortOptions = false, usageHelpAutoWidth = true,
        description = "Runs exporter NAME. Arguments not listed here go to the exporter, in order; "
                + "'--exporter NAME --help' shows the exporter's own options.",
        footer = {"", "Exit codes: 0 ok, 1 exporter failed, 2 bad arguments, 3 output file not written, "
                + "4 push failed, 255 exporter not found."})
public class metrics implements Callable<Integer> {
    static final int NOT_FOUND = 255;

    @Option(names = "--exporter", paramLabel = "NAME", description = "Run metrics by exporter name.")
    String exporter;

    @Option(names = "--debug", description = "Turn on debug mode, passed to the exporter.")
    boolean debug;

    @Mixin
    RunOptions runOptions;

    @Option(names = {"-h", "--help"}, description = "Show this help message and exit.")
    boolean help;

    @Unmatched
    List<String> exporterOptions = new ArrayList<>();

    @Spec
    CommandLine.Model.CommandSpec spec;

    private final String[] args;

    metrics(String[] args) {
        this.args = args;
    }

    public static void main(String[] args) throws Exception {
        ExporterRun.exitFromMain(plainExporterName(args).map(name -> run(name, args))
                .orElseGet(() -> new CommandLine(new metrics(args)).setParameterExceptionHandler(ExporterRun::usageError)
                        .execute(args)));
    }

    /**
     * The exporter name when the arguments are plainly {@code --exporter NAME} among others, no help asked
     * before it: then picocli's model (about 0.1 s of a short JVM's life) is not needed here, since the
     * exporter parses and checks every other argument itself. Anything else goes through picocli.
     */
    static Optional<String> plainExporterName(String[] args) {
        String name = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--exporter") && i + 1 < args.length && name == null) {
                name = args[++i];
            } else if (args[i].startsWith("--exporter") || (name == null && (args[i].equals("-h")
                    || args[i].equals("--help")))) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(name).filter(ExporterLocator::isValidName);
    }

    @Override
    public Integer call() throws Exception {
        if (exporter == null) {
            if (help) {
                spec.commandLine().usage(System.out);
                return 0;
            }
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--exporter=NAME'");
        }
        if (!ExporterLocator.isValidName(exporter)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Invalid exporter name '" + exporter + "': it must match " + ExporterLocator.NAME);
        }
        runOptions.validate();
        return run(exporter, args);
    }

    /** Finds, resolves and runs the exporter with every argument but {@code --exporter NAME}; the exit code. */
    static int run(String exporter, String[] args) {
        ExporterLocator locator = ExporterLocator.standard(System.getenv(), Path.of(""), metrics.class);
        Optional<Path> source = locator.find(exporter);
        if (source.isEmpty()) {
            System.err.println("metrics: exporter '" + exporter + "' not found; looked for:");
            locator.searched(exporter).forEach(place -> System.err.println("  " + place.toAbsolutePath()));
            return NOT_FOUND;
        }
        try {
            ExporterCommands.Resolved resolved = ExporterCommands.standard().resolve(source.get());
            List<String> exporterArgs = withoutExporterOption(args);
            if (InProcess.possible(resolved)) {
                InProcess.runMain(resolved, exporterArgs);
                return 0; // its main returned: its run succeeded (a failure ends the JVM with System.exit)
            }
            ClassDataArchive archive = ClassDataArchive.standard(resolved);
            List<String> command = new ArrayList<>(resolved.command(archive.jvmOptions()));
            command.addAll(exporterArgs);
            Process process = new ProcessBuilder(command).inheritIO().start();
            Thread stopChild = new Thread(process::destroy);
            Runtime.getRuntime().addShutdownHook(stopChild);
            int status = process.waitFor();
            Runtime.getRuntime().removeShutdownHook(stopChild);
            archive.afterExit(status == 0, System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1));
            return status;
        } catch (java.io.IOException e) {
            System.err.println("metrics: cannot build exporter '" + exporter + "' (" + source.get() + "): "
                    + e.getMessage());
            return 1;
        } catch (Throwable e) {
            System.err.println("metrics: exporter '" + exporter + "' failed: " + e);
            return 1;
        }
    }

    /** The arguments as given, less {@code --exporter NAME}: everything else is the exporter's. */
    static List<String> withoutExporterOption(String[] args) {
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--exporter")) {
                i++;
            } else if (!args[i].startsWith("--exporter=")) {
                rest.add(args[i]);
            }
        }
        return rest;
    }
}
