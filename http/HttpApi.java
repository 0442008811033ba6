import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.HttpStatus;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
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
    /** How long an exporter's page waits for the build and options before it says it is waiting. */
    static final Duration PAGE_WAIT = Duration.ofSeconds(10);

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
    private final RunHistory history;
    private final Pages pages;
    private ExporterOptions.Reader options = new ExporterOptions()::read;
    private volatile Javalin app;

    HttpApi(ServerSettings settings, URI externalUrl, List<ListenAddress> addresses, Configuration configuration,
            ExporterRuns runs, ServerMetrics metrics) {
        this.settings = settings;
        this.externalUrl = externalUrl;
        this.addresses = List.copyOf(addresses);
        this.configuration = configuration;
        this.runs = runs;
        this.metrics = metrics;
        this.history = new RunHistory(settings.runHistory());
        this.pages = new Pages(settings, configuration, runs, history, () -> app == null
                ? this.addresses.stream().map(ListenAddress::toString).toList() : listening(app));
    }

    /** Without configuration files, on HOST:PORT of the settings (tests). */
    HttpApi(ServerSettings settings, ExporterRuns runs, ServerMetrics metrics) {
        this(settings, null, List.of(new ListenAddress(settings.host(), settings.port())), Configuration.none(metrics),
                runs, metrics);
    }

    /** How exporters' options are read for their pages (a fake in route tests); before {@link #create}. */
    HttpApi options(ExporterOptions.Reader reader) {
        this.options = reader;
        return this;
    }

    RunHistory history() {
        return history;
    }

    Javalin create() {
        app = Javalin.create(javalin -> {
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
            javalin.routes.get("/", this::homePage);
            javalin.routes.get("/exporters/{exporter}", this::exporterPage);
            javalin.routes.get("/exporters/{exporter}/scrape", this::scrapeForm);
            javalin.routes.get("/logs", this::logPage);
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
                            + "; try / (the exporters), /metrics or /metrics/EXPORTER"));
                }
            });
            // one string, one write; the same decimal point in every locale; never the query (it may carry secrets)
            javalin.requestLogger.http((ctx, millis) -> System.out.print(String.format(Locale.ROOT,
                    "%s %s %d %.1fms%n", ctx.method(), ctx.path(), ctx.statusCode(), millis)));
        });
        return app;
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
        Instant time = Instant.now();
        long start = System.nanoTime();
        long deadline = start + deadline(ctx.header(SCRAPE_TIMEOUT_HEADER)).toNanos();
        inFlight.incrementAndGet();
        java.util.concurrent.CompletableFuture<RunResult> outcome;
        try {
            outcome = runs.submit(request, deadline);
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            throw e;
        }
        ctx.future(() -> outcome.handle((result, error) -> {
            try {
                if (error != null) {
                    Answers.internalError(ctx, error, metrics);
                    history.recordError(request, time, (System.nanoTime() - start) / 1e9, error);
                } else {
                    Answers.Answer answer = Answers.write(ctx, name, result, query.debug(), metrics, start);
                    history.record(request, time, (System.nanoTime() - start) / 1e9, result, answer);
                }
            } finally {
                inFlight.decrementAndGet();
            }
            return null;
        }));
    }

    /** {@code GET /}: the server, its exporters, the recent runs. */
    private void homePage(Context ctx) {
        html(ctx, 200, pages.home(inFlight.get()));
    }

    /**
     * {@code GET /exporters/NAME}: the exporter, its options (read from its build, which this asks for), its modules
     * and a form to try it. Waits for the build and its options at most {@link #PAGE_WAIT} (or TIMEOUT), holding no
     * thread; past that the page says what it is waiting for.
     */
    private void exporterPage(Context ctx) {
        String name = ctx.pathParam("exporter");
        Path source = ExporterLocator.isValidName(name) ? runs.exporters().get(name) : null;
        if (source == null) {
            html(ctx, 404, Pages.notFound("No exporter " + name, "There is no exporter named " + QueryArguments.quote(name)
                    + " here."));
            return;
        }
        CompletableFuture<BuiltExporter> build = runs.build(name);
        Duration wait = settings.timeout().compareTo(PAGE_WAIT) < 0 ? settings.timeout() : PAGE_WAIT;
        ctx.future(() -> build.thenCompose(built -> options.read(name, built))
                .orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS)
                .handle((list, error) -> {
                    try {
                        html(ctx, 200, pages.exporter(name, source, list != null ? new Pages.OptionsState(list, null)
                                : new Pages.OptionsState(null, whyNoOptions(build, error))));
                    } catch (RuntimeException e) {
                        Answers.internalError(ctx, e, metrics);
                    }
                    return null;
                }));
    }

    private static String whyNoOptions(CompletableFuture<BuiltExporter> build, Throwable error) {
        if (!build.isDone()) {
            return "it is being built (JBang); reload this page in a moment.";
        }
        if (build.isCompletedExceptionally()) {
            return "its build failed (above).";
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return "they are being read (a JVM of its build runs WorkerMain --describe); reload this page in a moment.";
        }
        return String.valueOf(cause.getMessage());
    }

    /**
     * {@code GET /exporters/NAME/scrape}: the exporter page's form, made a scrape URL. A form sends every field, the
     * empty ones too (which a query would pass as bare flags), so this leaves them out and redirects (303) to
     * {@code /metrics/NAME?...}, with {@code debug} when the form's {@code run} says so. Fields: {@code module},
     * {@code --NAME=VALUE} (several values of a repeatable option separated by spaces), {@code flag=--NAME}.
     */
    private void scrapeForm(Context ctx) {
        String name = ctx.pathParam("exporter");
        if (!ExporterLocator.isValidName(name) || !runs.exporters().containsKey(name)) {
            throw new NotFoundResponse("no exporter named " + QueryArguments.quote(name));
        }
        List<String> query = new ArrayList<>();
        boolean debug = false;
        String raw = ctx.queryString() == null ? "" : ctx.queryString();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String key = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1)).strip();
            if (key.equals("run")) {
                debug = value.equals("debug");
            } else if (key.equals("module")) {
                if (!value.isEmpty()) {
                    query.add("module=" + Html.url(value));
                }
            } else if (key.equals("flag")) {
                query.add(Html.url(queryName(value)));
            } else if (key.startsWith("-")) {
                for (String each : value.split("\\s+")) {
                    if (!each.isEmpty()) {
                        query.add(Html.url(queryName(key)) + "=" + Html.url(each));
                    }
                }
            } else {
                throw new BadRequestResponse("unknown form field " + QueryArguments.quote(key)
                        + ": the form sends module, run, flag and --OPTION fields");
            }
        }
        if (debug) {
            query.add("debug");
        }
        ctx.redirect("/metrics/" + name + (query.isEmpty() ? "" : "?" + String.join("&", query)), HttpStatus.SEE_OTHER);
    }

    /** {@code --target} is {@code target} in a query; {@code --debug} and {@code --module} keep their dashes. */
    private static String queryName(String option) {
        String bare = option.replaceFirst("^-+", "");
        return bare.equals("debug") || bare.equals("module") || !option.startsWith("--") ? option : bare;
    }

    private static String decode(String text) {
        try {
            return java.net.URLDecoder.decode(text, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse("bad percent-encoding in the form: " + QueryArguments.quote(text));
        }
    }

    /** {@code GET /logs?id=N}: one run of the history, what it printed and how it ended. */
    private void logPage(Context ctx) {
        String id = ctx.queryParam("id");
        long number;
        try {
            number = Long.parseLong(id == null ? "" : id.strip());
        } catch (NumberFormatException e) {
            throw new BadRequestResponse("id must be the number of a run, as the start page links it; got "
                    + QueryArguments.quote(String.valueOf(id)));
        }
        Optional<RunHistory.Entry> entry = history.find(number);
        if (entry.isEmpty()) {
            html(ctx, 404, Pages.notFound("No run " + number, "Run " + number + " is not in the history: the server "
                    + "keeps the last " + history.capacity() + " runs, in memory (RUN_HISTORY)."));
            return;
        }
        html(ctx, 200, pages.log(entry.get()));
    }

    private static void html(Context ctx, int status, String page) {
        if (ctx.res().getHeader("Content-Security-Policy") == null) { // the web configuration's, if it sets one
            ctx.header("Content-Security-Policy", Html.CONTENT_SECURITY_POLICY);
        }
        ctx.status(status).contentType(Html.CONTENT_TYPE).result(page);
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
