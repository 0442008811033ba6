///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES exporters/Exporter.java
//SOURCES resolve/ExporterLocator.java
//SOURCES resolve/BundledExporters.java
//SOURCES resolve/BuildCache.java
//SOURCES resolve/BuiltExporter.java
//SOURCES resolve/JBang.java
//SOURCES resolve/Cache.java
//DESCRIPTION Runs an exporter by name: prints its metrics, writes them to a file, pushes them to a Pushgateway.

import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
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

/** The dispatcher: finds the exporter and runs it with every other argument, in order. */
@Command(name = "metrics", sortOptions = false, usageHelpAutoWidth = true,
        description = "Runs exporter NAME. Arguments not listed here go to the exporter, in order; "
                + "'--exporter NAME --help' shows the exporter's own options.",
        footer = {"", "Exit codes: 0 ok, 1 exporter failed, 2 bad arguments, 3 output file not written, "
                + "4 push failed, 255 exporter not found."})
public class metrics implements Callable<Integer> {
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
        System.exit(new CommandLine(new metrics(args)).setParameterExceptionHandler(RunHarness::usageError).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (exporter == null) {
            if (help) {
                spec.commandLine().usage(System.out);
                return ExitCodes.OK;
            }
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--exporter=NAME'");
        }
        if (!ExporterLocator.isValidName(exporter)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Invalid exporter name '" + exporter + "': it must match " + ExporterLocator.NAME);
        }
        runOptions.validate(spec.commandLine());
        return run(exporter, withoutExporterOption(args));
    }

    /** Finds, builds (once) and runs the exporter; its exit code. */
    static int run(String exporter, List<String> exporterArgs) {
        ExporterLocator locator = ExporterLocator.standard(System.getenv(), Path.of(""), metrics.class);
        Optional<Path> source = locator.find(exporter);
        if (source.isEmpty()) {
            System.err.println("metrics: exporter '" + exporter + "' not found; looked for:");
            locator.searched(exporter).forEach(place -> System.err.println("  " + place.toAbsolutePath()));
            return ExitCodes.NOT_FOUND;
        }
        try {
            BuiltExporter built = BuildCache.standard().resolve(source.get(),
                    step -> System.err.println("metrics: " + step + " ..."));
            if (sameJvm(built)) {
                runMain(built, exporterArgs); // its main ends this JVM with the run's exit code
                return ExitCodes.OK;
            }
            List<String> command = new ArrayList<>(built.mainCommand());
            command.addAll(exporterArgs);
            Process process = new ProcessBuilder(command).inheritIO().start();
            Thread stopChild = new Thread(process::destroy);
            Runtime.getRuntime().addShutdownHook(stopChild);
            int status = process.waitFor();
            Runtime.getRuntime().removeShutdownHook(stopChild);
            return status;
        } catch (java.io.IOException e) {
            System.err.println("metrics: cannot build exporter '" + exporter + "' (" + source.get() + "): "
                    + e.getMessage());
            return ExitCodes.EXPORTER_FAILED;
        } catch (Throwable e) {
            System.err.println("metrics: exporter '" + exporter + "' failed: " + e);
            return ExitCodes.EXPORTER_FAILED;
        }
    }

    /**
     * Whether the exporter can run in this JVM, in a class loader of its own holding exactly what JBang built it
     * with: a second JVM would cost a start for nothing when it asks for no JVM options and the same java.
     */
    static boolean sameJvm(BuiltExporter built) {
        if (!built.runtimeOptions().isEmpty()) {
            return false;
        }
        Optional<String> current = ProcessHandle.current().info().command();
        try {
            return current.isPresent() && Path.of(current.get()).toRealPath().equals(Path.of(built.java()).toRealPath());
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void runMain(BuiltExporter built, List<String> args) throws Throwable {
        List<URL> urls = new ArrayList<>();
        for (String entry : built.classpath().split(java.io.File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        ClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        try {
            Class.forName(built.mainClass(), true, loader).getMethod("main", String[].class)
                    .invoke(null, (Object) args.toArray(String[]::new));
        } catch (InvocationTargetException e) {
            throw e.getCause();
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
