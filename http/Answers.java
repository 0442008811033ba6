import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.javalin.http.Context;
import java.util.Locale;

/**
 * The one place where a run's result becomes HTTP: its status, its body, its debug JSON, and the server's
 * counters. Every exporter request is answered here, the unexpected failures included.
 */
final class Answers {
    static final String TEXT = "text/plain; charset=utf-8";
    static final String JSON = "application/json; charset=utf-8";

    /** An HTTP answer. */
    record Answer(int status, String contentType, String body) {
    }

    private Answers() {
    }

    static Answer of(String exporter, RunResult result) {
        String name = "exporter '" + exporter + "'";
        if (result instanceof RunResult.NotFound) {
            return text(404, "no exporter named '" + exporter + "'");
        } else if (result instanceof RunResult.Overloaded overloaded) {
            return text(503, "too many runs in flight: " + overloaded.limit() + " (MAX_CONCURRENT_RUNS); try again later");
        } else if (result instanceof RunResult.Stopping) {
            return text(503, "the server is shutting down");
        } else if (result instanceof RunResult.StillBuilding building) {
            return text(503, name + " is still being built (JBang, " + seconds(building.seconds())
                    + " so far); try again shortly");
        } else if (result instanceof RunResult.BuildFailed failed) {
            return text(500, name + " could not be built:\n" + failed.message());
        } else if (result instanceof RunResult.NoWorker noWorker) {
            return text(504, name + " did not get a worker before its deadline: " + noWorker.why());
        } else if (result instanceof RunResult.WorkerFailed failed) {
            return text(500, name + " could not run: " + failed.why());
        } else if (result instanceof RunResult.TimedOut timedOut) {
            return text(504, name + " did not finish before its deadline (" + seconds(timedOut.seconds())
                    + "): its run was interrupted");
        }
        RunResult.Finished finished = (RunResult.Finished) result;
        if (finished.exitCode() == ExitCodes.OK && finished.metrics() != null) {
            return new Answer(200, Exposition.CONTENT_TYPE, finished.metrics());
        }
        if (finished.exitCode() == ExitCodes.OK) {
            return text(500, name + " ended without gathering metrics (exit 0, nothing gathered):\n" + finished.stderr());
        }
        return text(finished.exitCode() == ExitCodes.USAGE ? 400 : 500, name + " failed (exit " + finished.exitCode()
                + "):\n" + finished.stderr());
    }

    /** {@code ?debug}: the original's JSON (returncode, stdout, stderr, metrics-filename, metrics). */
    static String debugJson(RunResult result, Answer answer) {
        JsonObject json = new JsonObject();
        if (result instanceof RunResult.Finished finished) {
            json.addProperty("returncode", finished.exitCode());
            json.addProperty("stdout", finished.stdout());
            json.addProperty("stderr", finished.stderr());
            json.add("metrics-filename", JsonNull.INSTANCE); // the metrics come back in memory: there is no file
            json.addProperty("metrics", finished.metrics() == null ? "" : finished.metrics());
        } else {
            if (result instanceof RunResult.NotFound) {
                json.addProperty("returncode", ExitCodes.NOT_FOUND);
            } else {
                json.add("returncode", JsonNull.INSTANCE);
            }
            json.addProperty("stdout", "");
            json.addProperty("stderr", answer.body());
            json.add("metrics-filename", JsonNull.INSTANCE);
            json.addProperty("metrics", "");
        }
        return json.toString();
    }

    /**
     * Answers an exporter request and counts it (unknown names only in server_requests_total: no unbounded labels);
     * returns the answer, for the run history.
     */
    static Answer write(Context ctx, String exporter, RunResult result, boolean debug, ServerMetrics metrics,
            long startNanos) {
        Answer answer = of(exporter, result);
        if (!(result instanceof RunResult.NotFound)) {
            metrics.exporterRequest("/metrics/" + exporter, answer.status(), (System.nanoTime() - startNanos) / 1e9);
        }
        if (debug) {
            ctx.status(answer.status()).contentType(JSON).result(debugJson(result, answer));
        } else {
            write(ctx, answer);
        }
        return answer;
    }

    static void write(Context ctx, Answer answer) {
        ctx.status(answer.status()).contentType(answer.contentType()).result(answer.body());
    }

    /** Anything unexpected: 500 naming it, logged once with its stack, counted. */
    static void internalError(Context ctx, Throwable e, ServerMetrics metrics) {
        metrics.internalErrors.inc();
        System.err.println("server: internal error on " + ctx.method() + " " + ctx.path() + ": " + e);
        e.printStackTrace();
        write(ctx, text(500, "internal server error: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage())));
    }

    static Answer text(int status, String message) {
        return new Answer(status, TEXT, message.endsWith("\n") ? message : message + "\n");
    }

    private static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }
}
