import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** What the HTTP layer asks of the scheduler (server/scheduler/Scheduler.java; route tests give it a fake). */
interface ExporterRuns {
    /** Runs the exporter; the future is complete by the deadline, whatever happens. Never blocks. */
    CompletableFuture<RunResult> submit(RunRequest request, long deadlineNanos);

    /** The exporters present, by name. */
    Map<String, Path> exporters();

    /** Where each exporter's build stands, by name (those never asked for are absent). */
    Map<String, Builds.Status> builds();

    /**
     * The exporter's build, done, going on, or asked for now (its page reads its options from it); a failed future
     * when there is no such exporter, or it cannot be built.
     */
    default CompletableFuture<BuiltExporter> build(String exporter) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("no builds here"));
    }
}
