import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs an exporter's main inside the dispatcher's JVM, in a class loader of its own (so its classes and
 * dependencies are exactly those JBang built it with), saving a second JVM start on the command line.
 * Only when that changes nothing: same java binary, no JVM options of its own.
 */
final class InProcess {
    private InProcess() {
    }

    /** Whether {@code resolved} can run in this JVM. */
    static boolean possible(ExporterCommands.Resolved resolved) {
        if (!resolved.runtimeOptions().isEmpty()) {
            return false;
        }
        Optional<String> current = ProcessHandle.current().info().command();
        try {
            return current.isPresent()
                    && Path.of(current.get()).toRealPath().equals(Path.of(resolved.java()).toRealPath());
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Calls the exporter's main, which ends the JVM with the run's exit code, or returns after a run that exited 0. */
    static void runMain(ExporterCommands.Resolved resolved, List<String> args) throws Throwable {
        List<URL> urls = new ArrayList<>();
        for (String entry : resolved.classpath().split(java.io.File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        ClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        Method main = Class.forName(resolved.mainClass(), true, loader).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) args.toArray(String[]::new));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        // a main that returns had a run that succeeded (Exporter.runAndExit): the dispatcher ends with 0
    }
}
