///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES exporters/Exporter.java
//SOURCES dispatch/ExporterLocator.java
//SOURCES dispatch/BundledExporters.java
//SOURCES dispatch/ExporterCommands.java
//SOURCES dispatch/Cache.java
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

    public static void main(String[] args) {
        System.exit(new CommandLine(new metrics(args)).setParameterExceptionHandler(ExporterRun::usageError).execute(args));
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

        ExporterLocator locator = ExporterLocator.standard(System.getenv(), Path.of(""), metrics.class);
        Optional<Path> source = locator.find(exporter);
        if (source.isEmpty()) {
            System.err.println("metrics: exporter '" + exporter + "' not found; looked for:");
            locator.searched(exporter).forEach(place -> System.err.println("  " + place.toAbsolutePath()));
            return NOT_FOUND;
        }
        ExporterCommands.Resolved resolved;
        try {
            resolved = ExporterCommands.standard().resolve(source.get());
        } catch (java.io.IOException e) {
            System.err.println("metrics: cannot build exporter '" + exporter + "' (" + source.get() + "): "
                    + e.getMessage());
            return 1;
        }
        List<String> command = new ArrayList<>(resolved.command());
        command.addAll(withoutExporterOption(args));
        Process process = new ProcessBuilder(command).inheritIO().start();
        Thread stopChild = new Thread(process::destroy);
        Runtime.getRuntime().addShutdownHook(stopChild);
        int status = process.waitFor();
        Runtime.getRuntime().removeShutdownHook(stopChild);
        return status;
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
