import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP API: routes, handlers and error handling, built without starting (tests start it on port 0). An
 * exporter request holds no thread while its run goes on: it is answered when the run's future completes, which
 * the scheduler guarantees by the deadline.
 */
final class HttpApi {
    /** Prometheus tells how long it waits; the answer must be back before that, with room for the network. */
    static final String SCRAPE_TIMEOUT_HEADER = "X-Prometheus-Scrape-Timeout-Seconds";
    static final Duration SCRAPE_MARGIN = Duration.ofMillis(500);

    static {
        // Jetty's and Javalin's own logging (slf4j-simple): warnings and errors only, on stderr
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
    }

    private final ServerSettings settings;
    private final URI externalUrl;
    private final List<ListenAddress> addresses;
    private final Configuration configuration;
    private final ExporterRuns runs;
    private final ServerMetrics metrics;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();

    HttpApi(ServerSettings settings, URI externalUrl, List<ListenAddress> addresses, Configuration configuration,
            ExporterRuns runs, ServerMetrics metrics) {
        this.settings = settings;
        this.externalUrl = externalUrl;
        this.addresses = List.copyOf(addresses);
        this.configuration = configuration;
        this.runs = runs;
        this.metrics = metrics;
    }

    /** Without configuration files, on HOST:PORT of the settings (tests). */
    HttpApi(ServerSettings settings, ExporterRuns runs, ServerMetrics metrics) {
        this(settings, null, List.of(new ListenAddress(settings.host(), settings.port())), Configuration.none(metrics),
                runs, metrics);
    }

    Javalin create() {
        return Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.startup.showOldJavalinVersionWarning = false;
            configuration.web().addConnectors(javalin.jetty, addresses); // HTTP, or HTTPS with the web configuration
            javalin.http.prefer405over404 = true;
            javalin.routes.before(configuration.web()); // its headers on every answer, basic auth where users are set
            javalin.routes.before(this::refuseWhileStopping);
            javalin.routes.get("/metrics", this::serverMetrics);
            javalin.routes.head("/metrics", this::serverMetrics);
            javalin.routes.get("/metrics/{exporter}", this::exporterMetrics);
            javalin.routes.head("/metrics/{exporter}", this::exporterMetrics);
            javalin.routes.get("/-/healthy", this::healthy);
            javalin.routes.head("/-/healthy", this::healthy);
            javalin.routes.get("/-/ready", this::ready);
            javalin.routes.head("/-/ready", this::ready);
            javalin.routes.post("/-/reload", this::reload);
            javalin.routes.get("/discovery", this::discovery);
            javalin.routes.after(ctx -> metrics.requests.labels(Integer.toString(ctx.statusCode())).inc());
            javalin.routes.exception(HttpResponseException.class, (e, ctx) -> {
                if (e.getDetails().containsKey("availableMethods")) { // a 405: say which methods the path takes
                    ctx.header("Allow", e.getDetails().get("availableMethods"));
                }
                Answers.write(ctx, Answers.text(e.getStatus(), e.getMessage()));
            });
            javalin.routes.exception(Exception.class, (e, ctx) -> Answers.internalError(ctx, e, metrics));
            javalin.routes.error(404, ctx -> {
                if (ctx.result() == null) {
                    Answers.write(ctx, Answers.text(404, "not found: " + QueryArguments.quote(ctx.path())
                            + "; try /metrics or /metrics/EXPORTER"));
                }
            });
            // one string, one write; the same decimal point in every locale; never the query (it may carry secrets)
            javalin.requestLogger.http((ctx, millis) -> System.out.print(String.format(Locale.ROOT,
                    "%s %s %d %.1fms%n", ctx.method(), ctx.path(), ctx.statusCode(), millis)));
        });
    }

    /** {@code GET /metrics}: the server's own metrics, nothing of any exporter. */
    private void serverMetrics(Context ctx) {
        ctx.contentType(Exposition.CONTENT_TYPE).result(metrics.text());
    }

    /** {@code GET /metrics/{exporter}}: runs the exporter and answers with its metrics, by the deadline. */
    private void exporterMetrics(Context ctx) {
        String name = ctx.pathParam("exporter");
        if (!ExporterLocator.isValidName(name)) {
            throw new NotFoundResponse("no exporter named " + QueryArguments.quote(name) + ": names match "
                    + ExporterLocator.NAME);
        }
        QueryArguments.Parsed query;
        try {
            query = QueryArguments.parse(ctx.queryString());
        } catch (QueryArguments.BadParameter e) {
            throw new BadRequestResponse(e.getMessage());
        }
        ServerConfigFile.Decision decision = configuration.config().decide(name, query.arguments());
        if (decision instanceof ServerConfigFile.Refused refused) {
            throw new BadRequestResponse(refused.message());
        }
        ServerConfigFile.Run run = (ServerConfigFile.Run) decision;
        RunRequest request = new RunRequest(name, run.module(), run.arguments(), run.environment());
        long start = System.nanoTime();
        long deadline = start + deadline(ctx.header(SCRAPE_TIMEOUT_HEADER)).toNanos();
        inFlight.incrementAndGet();
        java.util.concurrent.CompletableFuture<RunResult> answer;
        try {
            answer = runs.submit(request, deadline);
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            throw e;
        }
        ctx.future(() -> answer.handle((result, error) -> {
            try {
                if (error != null) {
                    Answers.internalError(ctx, error, metrics);
                } else {
                    Answers.write(ctx, name, result, query.debug(), metrics, start);
                }
            } finally {
                inFlight.decrementAndGet();
            }
            return null;
        }));
    }

    /** {@code GET /-/healthy}: the process serves HTTP. */
    private void healthy(Context ctx) {
        Answers.write(ctx, Answers.text(200, "OK"));
    }

    /** {@code GET /-/ready}: 200 once every exporter present is built (or failed to build); 503 while builds go on. */
    private void ready(Context ctx) {
        Map<String, Builds.Status> builds = runs.builds();
        List<String> pending = new ArrayList<>();
        for (String name : runs.exporters().keySet()) {
            Builds.Status status = builds.get(name);
            if (status == null || status.state() == Builds.State.BUILDING) {
                pending.add(name);
            }
        }
        Answers.write(ctx, pending.isEmpty() ? Answers.text(200, "ready")
                : Answers.text(503, "not ready: building " + String.join(", ", pending)));
    }

    /** {@code GET /discovery}: http_sd target groups for the configuration file's targets, at this server's address. */
    private void discovery(Context ctx) {
        URI external = externalUrl != null ? externalUrl
                : URI.create((configuration.web().tlsEnabled() ? "https" : "http") + "://" + ctx.host());
        ctx.contentType(Answers.JSON).result(Discovery.json(configuration.config(), runs.exporters().keySet(), external));
    }

    /** {@code POST /-/reload}: reads both configuration files again; a broken one keeps the running configuration. */
    private void reload(Context ctx) {
        Optional<String> failure = reload(configuration);
        Answers.write(ctx, failure.isEmpty() ? Answers.text(200, "reloaded")
                : Answers.text(500, "reload failed, the running configuration is kept: " + failure.get()));
    }

    /** Reloads, saying so in the log (SIGHUP does the same); why it failed, if it did. */
    static Optional<String> reload(Configuration configuration) {
        try {
            configuration.reload();
            System.out.println("server: configuration reloaded");
            return Optional.empty();
        } catch (ConfigException e) {
            System.err.println("server: reload failed, the running configuration is kept: " + e.getMessage());
            return Optional.of(e.getMessage());
        }
    }

    /** The smaller of TIMEOUT and Prometheus's scrape timeout less a margin. */
    Duration deadline(String scrapeTimeoutHeader) {
        Duration deadline = settings.timeout();
        if (scrapeTimeoutHeader != null) {
            try {
                double seconds = Double.parseDouble(scrapeTimeoutHeader.strip());
                Duration scrape = Duration.ofMillis(Math.round(seconds * 1000)).minus(SCRAPE_MARGIN);
                if (seconds > 0 && scrape.compareTo(deadline) < 0) {
                    deadline = scrape.isNegative() ? Duration.ZERO : scrape;
                }
            } catch (NumberFormatException e) {
                throw new BadRequestResponse("bad " + SCRAPE_TIMEOUT_HEADER + " header: "
                        + QueryArguments.quote(scrapeTimeoutHeader));
            }
        }
        return deadline;
    }

    private void refuseWhileStopping(Context ctx) {
        if (stopping.get()) {
            ctx.header("Connection", "close");
            Answers.write(ctx, Answers.text(503, "the server is shutting down"));
            ctx.skipRemainingHandlers();
        }
    }

    List<ListenAddress> addresses() {
        return addresses;
    }

    /** Where a started app listens, HOST:PORT for each connector (the ports as bound: :0 gives one). */
    static List<String> listening(Javalin app) {
        List<String> listening = new ArrayList<>();
        for (var connector : app.jettyServer().server().getConnectors()) {
            if (connector instanceof org.eclipse.jetty.server.ServerConnector network) {
                String host = network.getHost() == null ? "" : network.getHost();
                listening.add((host.contains(":") ? "[" + host + "]" : host) + ":" + network.getLocalPort());
            }
        }
        return listening;
    }

    /** Stop taking requests; returns how many exporter requests are still being answered. */
    int beginStopping() {
        stopping.set(true);
        return inFlight.get();
    }

    int inFlight() {
        return inFlight.get();
    }
}
