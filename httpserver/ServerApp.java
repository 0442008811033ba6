import com.google.gson.JsonObject;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** The HTTP API: routes, handlers and error handling, built without starting (tests start it on port 0). */
final class ServerApp {
    static final String TEXT_004 = "text/plain; version=0.0.4; charset=utf-8";
    /** Prometheus tells how long it waits; the answer must be back before that, with room for the network. */
    static final String SCRAPE_TIMEOUT_HEADER = "X-Prometheus-Scrape-Timeout-Seconds";
    static final Duration SCRAPE_MARGIN = Duration.ofMillis(500);

    private final ServerConfig config;
    private final ExporterRunner runner;
    private final ServerMetrics metrics;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();

    ServerApp(ServerConfig config, ExporterRunner runner, ServerMetrics metrics) {
        this.config = config;
        this.runner = runner;
        this.metrics = metrics;
    }

    Javalin create() {
        return Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.startup.showOldJavalinVersionWarning = false;
            javalin.jetty.host = config.host();
            javalin.jetty.port = config.port();
            javalin.routes.before(this::refuseWhileStopping);
            javalin.routes.get("/metrics", this::serverMetrics);
            javalin.routes.get("/metrics/{exporter}", this::exporterMetrics);
            javalin.routes.after(ctx -> metrics.requests.labels(Integer.toString(ctx.status().getCode())).inc());
            javalin.routes.exception(BadRequestResponse.class, (e, ctx) -> plain(ctx, 400, e.getMessage()));
            javalin.routes.exception(NotFoundResponse.class, (e, ctx) -> plain(ctx, 404, e.getMessage()));
            javalin.routes.error(404, ctx -> {
                if (ctx.result() == null) {
                    plain(ctx, 404, "not found: " + ExporterArguments.quote(ctx.path()) + "; try /metrics or /metrics/EXPORTER");
                }
            });
            // one string, one write (printf writes each piece apart); the same decimal point in every locale
            javalin.requestLogger.http((ctx, millis) -> System.out.print(String.format(java.util.Locale.ROOT,
                    "%s %s %d %.1fms%n", ctx.method(), ctx.path(), ctx.status().getCode(), millis)));
        });
    }

    /** {@code GET /metrics}: the server's own metrics, nothing of any exporter. */
    private void serverMetrics(Context ctx) {
        ctx.contentType(TEXT_004).result(metrics.text());
    }

    /** {@code GET /metrics/{exporter}}: runs the exporter and answers with the metrics it wrote. */
    private void exporterMetrics(Context ctx) throws Exception {
        String name = ctx.pathParam("exporter");
        if (!ExporterLocator.isValidName(name)) {
            throw new NotFoundResponse("no exporter named " + ExporterArguments.quote(name)
                    + ": names match " + ExporterLocator.NAME);
        }
        ExporterArguments.Parsed query;
        try {
            query = ExporterArguments.parse(ctx.queryString());
        } catch (ExporterArguments.BadParameter e) {
            throw new BadRequestResponse(e.getMessage());
        }
        long start = System.nanoTime();
        long deadline = start + deadline(ctx.header(SCRAPE_TIMEOUT_HEADER)).toNanos();
        inFlight.incrementAndGet();
        try {
            ExporterRunner.Outcome outcome = runner.run(name, query.arguments(), deadline);
            Response response = Response.of(name, outcome);
            if (!(outcome instanceof ExporterRunner.Outcome.NotFound)) {
                metrics.exporterRequest(ctx.path(), response.status(), (System.nanoTime() - start) / 1e9);
            }
            if (query.debug()) {
                ctx.status(response.status());
                ctx.contentType("application/json; charset=utf-8").result(debugJson(outcome, response).toString());
            } else {
                ctx.status(response.status()).contentType(response.contentType()).result(response.body());
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** The smaller of TIMEOUT and Prometheus's scrape timeout less a margin. */
    Duration deadline(String scrapeTimeoutHeader) {
        Duration deadline = config.timeout();
        if (scrapeTimeoutHeader != null) {
            try {
                double seconds = Double.parseDouble(scrapeTimeoutHeader.strip());
                Duration scrape = Duration.ofMillis(Math.round(seconds * 1000)).minus(SCRAPE_MARGIN);
                if (seconds > 0 && scrape.compareTo(deadline) < 0) {
                    deadline = scrape.isNegative() ? Duration.ZERO : scrape;
                }
            } catch (NumberFormatException e) {
                throw new BadRequestResponse("bad " + SCRAPE_TIMEOUT_HEADER + " header: "
                        + ExporterArguments.quote(scrapeTimeoutHeader));
            }
        }
        return deadline;
    }

    private static JsonObject debugJson(ExporterRunner.Outcome outcome, Response response) {
        JsonObject json = new JsonObject();
        if (outcome instanceof ExporterRunner.Outcome.Ran ran) {
            ExporterProcess.Result result = ran.result();
            json.addProperty("returncode", result.exitCode());
            json.addProperty("stdout", result.stdout());
            json.addProperty("stderr", result.stderr());
            json.addProperty("metrics-filename", result.metricsFile().toString());
            json.addProperty("metrics", result.metrics());
        } else {
            json.addProperty("returncode", outcome instanceof ExporterRunner.Outcome.NotFound ? 255 : (Integer) null);
            json.addProperty("stdout", "");
            json.addProperty("stderr", response.body());
            json.add("metrics-filename", com.google.gson.JsonNull.INSTANCE);
            json.addProperty("metrics", "");
        }
        return json;
    }

    private void refuseWhileStopping(Context ctx) {
        if (stopping.get()) {
            ctx.header("Connection", "close");
            plain(ctx, 503, "the server is shutting down");
            ctx.skipRemainingHandlers();
        }
    }

    private static void plain(Context ctx, int status, String message) {
        ctx.status(status).contentType("text/plain; charset=utf-8").result(message + "\n");
    }

    /** Stop taking requests; returns how many are still being answered. */
    int beginStopping() {
        stopping.set(true);
        return inFlight.get();
    }

    int inFlight() {
        return inFlight.get();
    }
}
