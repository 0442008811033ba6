import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** One warm worker JVM (exporters/lib/ExporterWorker.java) and its line protocol, seen from the server. */
final class Worker {
    private static final String END_OF_STREAM = "\u0000eof";
    private static final long PAGE_SIZE = 4096;

    private final Process process;
    private final Writer requests;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    final String fingerprint;
    final int slot;
    private int runs;

    private Worker(Process process, String fingerprint, int slot) {
        this.process = process;
        this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.fingerprint = fingerprint;
        this.slot = slot;
        Thread reader = new Thread(this::readAnswers, "worker-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a worker and waits for its {@code ready}; null when it did not get ready before the deadline. */
    static Worker start(List<String> command, String fingerprint, int slot, long deadlineNanos)
            throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(ProcessGroups.leaderPrefix());
        full.addAll(command);
        Process process = new ProcessBuilder(full)
                .redirectError(ProcessBuilder.Redirect.INHERIT) // outside runs, a worker's stderr is the server's
                .start();
        Worker worker = new Worker(process, fingerprint, slot);
        String first = worker.answers.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (!"ready".equals(first)) {
            worker.kill();
            if (first == null) {
                return null;
            }
            throw new IOException("worker did not start (exit " + worker.exitCode() + "); its error is in the server's log");
        }
        return worker;
    }

    /**
     * Runs once; the exit code, or null when the deadline passed first (the caller then kills the worker).
     * When the worker dies during the run (an exporter that calls System.exit), its exit code is the run's.
     */
    Integer run(Path runDirectory, List<String> arguments, long deadlineNanos) throws InterruptedException {
        runs++;
        try {
            StringBuilder request = new StringBuilder().append(runDirectory).append('\n').append(arguments.size()).append('\n');
            for (String argument : arguments) {
                request.append(argument).append('\n');
            }
            requests.write(request.toString());
            requests.flush();
        } catch (IOException e) {
            return exitCode();
        }
        String answer = answers.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (answer == null) {
            return null;
        }
        if (answer.startsWith("done ")) {
            return Integer.parseInt(answer.substring(5));
        }
        return exitCode();
    }

    int runs() {
        return runs;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
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

    void kill() {
        ProcessGroups.kill(process.toHandle());
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int exitCode() {
        try {
            if (process.waitFor(5, TimeUnit.SECONDS)) {
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 1;
    }

    private void readAnswers() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                answers.add(line);
            }
        } catch (IOException e) {
            // the worker is gone
        }
        answers.add(END_OF_STREAM);
    }
}
