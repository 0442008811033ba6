import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A warm worker: one JVM that runs an exporter many times, one run at a time, for the server.
 * Every run gets a new exporter instance (so a new registry); System.out and System.err go to files of
 * that run, so what the exporter prints stays apart from its metrics and from the next run.
 *
 * <p>Protocol, one item per line: the worker says {@code ready}; the server sends a run directory, the
 * number of arguments, then the arguments; the worker answers {@code done EXIT_CODE}. The worker's own
 * stdout carries only this protocol. An exporter that calls System.exit ends the worker, and the server
 * reads the run's exit code from the process.
 */
public final class ExporterWorker {
    private ExporterWorker() {
    }

    public static void main(String[] args) throws Exception {
        Constructor<? extends Exporter> constructor = Class.forName(args[0]).asSubclass(Exporter.class)
                .getDeclaredConstructor();
        constructor.setAccessible(true);
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream idle = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        PrintStream workerErr = System.err;
        System.setOut(idle);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        protocol.println("ready");
        String directory;
        while ((directory = in.readLine()) != null) {
            int count = Integer.parseInt(in.readLine());
            List<String> runArgs = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                runArgs.add(in.readLine());
            }
            Path run = Path.of(directory);
            int exitCode;
            try (PrintStream out = new PrintStream(Files.newOutputStream(run.resolve("stdout")), true, StandardCharsets.UTF_8);
                    PrintStream err = new PrintStream(Files.newOutputStream(run.resolve("stderr")), true, StandardCharsets.UTF_8)) {
                System.setOut(out);
                System.setErr(err);
                try {
                    exitCode = ExporterRun.execute(constructor.newInstance(), runArgs.toArray(String[]::new), out, err);
                } catch (Throwable e) { // a broken exporter must not end the worker's loop
                    e.printStackTrace(err);
                    exitCode = ExporterRun.EXPORTER_FAILED;
                } finally {
                    System.setOut(idle);
                    System.setErr(workerErr);
                }
            }
            protocol.println("done " + exitCode);
        }
    }
}
