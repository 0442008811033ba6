import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The operator's pages, rendered on the server as plain HTML (no script): the landing page ({@code /}), an
 * exporter's page with its options and a form to try it ({@code /exporters/NAME}), and a run's log
 * ({@code /logs?id=N}). Routes live in {@link HttpApi}; this only turns what it is given into HTML.
 */
final class Pages {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    /** The harness's own options are the server's business: not on the pages, not in the form. */
    static final String RESERVED_NOTE = "The run harness's own options (--pushgateway-address, --grouping-key, "
            + "--output-filename, --no-print, --help) are the server's business and are not shown.";

    /** What a script says about itself: its {@code //DESCRIPTION} and {@code //METRICS_MODE} lines. */
    record Script(String description, String mode) {
        static Script read(Path source) {
            String description = "";
            String mode = "warm";
            try {
                for (String line : Files.readAllLines(source, StandardCharsets.UTF_8)) {
                    if (line.startsWith("//DESCRIPTION ")) {
                        description = line.substring("//DESCRIPTION ".length()).strip();
                    } else if (line.startsWith(BuiltExporter.MODE_DIRECTIVE + " ")) {
                        mode = line.substring(BuiltExporter.MODE_DIRECTIVE.length()).strip();
                    }
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // an unreadable script says nothing
            }
            return new Script(description, mode);
        }
    }

    /** What an exporter's page knows of its options: the list, or why there is none (yet). */
    record OptionsState(List<ExporterOptions.Option> options, String problem) {
    }

    private final ServerSettings settings;
    private final Configuration configuration;
    private final ExporterRuns runs;
    private final RunHistory history;
    private final Supplier<List<String>> listening;
    private final Instant started = Instant.now();

    Pages(ServerSettings settings, Configuration configuration, ExporterRuns runs, RunHistory history,
            Supplier<List<String>> listening) {
        this.settings = settings;
        this.configuration = configuration;
        this.runs = runs;
        this.history = history;
        this.listening = listening;
    }

    // ---- GET / ----

    String home(int requestsInFlight) {
        StringBuilder body = new StringBuilder();
        body.append("<h1>metrics</h1>\n<p class=\"muted\">Prometheus exporters as JBang scripts. Scrape "
                + "<code>/metrics/NAME?target=...</code>; the server's own metrics: <a href=\"/metrics\">/metrics</a>."
                + "</p>\n");
        body.append("<h2 id=\"server\">Server</h2>\n<dl class=\"facts\">\n");
        fact(body, "Java", Runtime.version().toString());
        fact(body, "Javalin / Jetty", version(io.javalin.Javalin.class) + " / " + org.eclipse.jetty.util.Jetty.VERSION);
        fact(body, "Started", TIME.format(started) + " UTC (up " + duration(Duration.between(started, Instant.now()))
                + ")");
        fact(body, "Listening", String.join(", ", listening.get()));
        fact(body, "TLS", configuration.web().tlsEnabled() ? "on" : "off");
        fact(body, "Basic auth", configuration.web().authenticates() ? "on (every path but /-/healthy)" : "off");
        fact(body, "Web configuration", configuration.webConfigFile() == null ? "none"
                : configuration.webConfigFile().toString());
        fact(body, "Configuration file", configuration.configFile() == null ? "none"
                : configuration.configFile() + " (" + configuration.config().exporters().size() + " exporter(s))");
        fact(body, "WORKERS", settings.workers() + " worker JVM(s) per exporter");
        fact(body, "MAX_CONCURRENT_RUNS", settings.maxConcurrentRuns() + " (" + requestsInFlight + " in flight now)");
        fact(body, "TIMEOUT", seconds(settings.timeout().toMillis() / 1000.0));
        fact(body, "WORKER_MAX_RUNS / _MB", settings.workerMaxRuns() + " runs / " + settings.workerMaxMegabytes() + " MiB");
        fact(body, "RUN_HISTORY", history.capacity() + " runs kept");
        fact(body, "EXPORTER_MODES", settings.modes().isEmpty() ? "none" : settings.modes().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().label()).collect(Collectors.joining(", ")));
        body.append("</dl>\n");

        Map<String, Path> exporters = runs.exporters();
        Map<String, Builds.Status> builds = runs.builds();
        body.append("<h2 id=\"exporters\">Exporters <span class=\"muted small\">(").append(exporters.size())
                .append(")</span></h2>\n");
        if (exporters.isEmpty()) {
            body.append("<p class=\"muted\">No exporters found: see METRICS_EXPORTERS in the README.</p>\n");
        } else {
            body.append("<table>\n<thead><tr><th>exporter</th><th>description</th><th>mode</th><th>build</th>"
                    + "<th>scrape</th></tr></thead>\n<tbody>\n");
            for (Map.Entry<String, Path> exporter : exporters.entrySet()) {
                String name = exporter.getKey();
                Script script = Script.read(exporter.getValue());
                body.append("<tr><td class=\"nowrap\"><a href=\"/exporters/").append(Html.escape(name)).append("\"><b>")
                        .append(Html.escape(name)).append("</b></a></td><td>").append(Html.escape(script.description()))
                        .append("</td><td>").append(Html.escape(mode(name, script))).append("</td><td>")
                        .append(build(builds.get(name), true)).append("</td><td class=\"links\">")
                        .append(scrapeLinks(name)).append("</td></tr>\n");
            }
            body.append("</tbody>\n</table>\n");
        }
        runs(body, history.recent(), null);
        return Html.page("metrics", body.toString());
    }

    // ---- GET /exporters/NAME ----

    String exporter(String name, Path source, OptionsState state) {
        Script script = Script.read(source);
        ServerConfigFile.Exporter configured = configuration.config().exporters().get(name);
        StringBuilder body = new StringBuilder();
        body.append("<h1>").append(Html.escape(name)).append("</h1>\n<p>").append(Html.escape(script.description()))
                .append("</p>\n<dl class=\"facts\">\n");
        fact(body, "Source", source.toString());
        fact(body, "Mode", mode(name, script));
        body.append("<dt>Build</dt><dd>").append(build(runs.builds().get(name), false)).append("</dd>\n");
        body.append("<dt>Scrape</dt><dd class=\"links\">").append(scrapeLinks(name)).append("</dd>\n</dl>\n");

        body.append("<h2 id=\"options\">Options</h2>\n");
        List<ExporterOptions.Option> options = new ArrayList<>();
        if (state.options() == null) {
            body.append("<p class=\"muted\">Its options are not known yet: ").append(Html.escape(state.problem()))
                    .append("</p>\n");
        } else {
            for (ExporterOptions.Option option : state.options()) {
                if (!QueryArguments.reserved(option.bareName())) {
                    options.add(option);
                }
            }
            optionsTable(body, options, configured);
        }
        if (configured != null) {
            configuration(body, configured);
        }
        form(body, name, options, configured, state.options() != null);
        runs(body, history.recent().stream().filter(entry -> entry.exporter().equals(name)).toList(), name);
        return Html.page(name + " - metrics", body.toString());
    }

    private static void optionsTable(StringBuilder body, List<ExporterOptions.Option> options,
            ServerConfigFile.Exporter configured) {
        Optional<Set<String>> allowed = configured == null ? Optional.empty() : configured.allowQueryOptions();
        body.append("<table>\n<thead><tr><th>option</th><th>value</th><th>description</th><th>default</th>"
                + "<th>notes</th></tr></thead>\n<tbody>\n");
        for (ExporterOptions.Option option : options) {
            List<String> notes = new ArrayList<>();
            if (option.required()) {
                notes.add("required");
            }
            if (option.repeatable()) {
                notes.add("repeatable");
            }
            boolean queryMay = allowed.isEmpty() || allowed.get().contains(option.bareName());
            if (!queryMay) {
                notes.add("not in queries");
            }
            body.append(queryMay ? "<tr>" : "<tr class=\"muted\">").append("<td class=\"mono nowrap\">").append(Html.escape(String.join(", ", option.names())))
                    .append("</td><td class=\"mono nowrap\">").append(option.flag() ? "" : Html.escape(option.paramLabel()))
                    .append("</td><td>").append(Html.escape(option.description())).append("</td><td class=\"mono\">")
                    .append(Html.escape(RunHistory.isSecret(option.bareName()) && !option.shownDefault().startsWith("${")
                            && !option.shownDefault().isEmpty() ? RunHistory.HIDDEN : option.shownDefault()))
                    .append("</td><td class=\"small nowrap\">").append(Html.escape(String.join(", ", notes)))
                    .append("</td></tr>\n");
        }
        body.append("</tbody>\n</table>\n<p class=\"muted small\">").append(allowed.isPresent()
                ? "Options in grey are not in the configuration file's allow_query_options: a module may set them, a "
                + "query may not. " : "").append(Html.escape(RESERVED_NOTE)).append("</p>\n");
    }

    private static void configuration(StringBuilder body, ServerConfigFile.Exporter configured) {
        body.append("<h2 id=\"configuration\">Configuration file</h2>\n<dl class=\"facts\">\n");
        fact(body, "allow_query_options", configured.allowQueryOptions().map(set -> set.isEmpty() ? "none"
                : String.join(", ", new TreeSet<>(set))).orElse("any option its modules do not set"));
        fact(body, "allowed_targets", configured.allowedTargets().map(list -> String.join(", ", list.entries()))
                .orElse("any"));
        fact(body, "targets (discovery)", configured.targets().isEmpty() ? "none" : configured.targets().stream()
                .map(t -> t.target() + t.module().map(m -> " (module " + m + ")").orElse(""))
                .collect(Collectors.joining(", ")));
        body.append("</dl>\n");
        if (configured.modules().isEmpty()) {
            body.append("<p class=\"muted\">No modules.</p>\n");
            return;
        }
        body.append("<table>\n<thead><tr><th>module</th><th>arguments</th><th>environment</th><th>allowed_targets</th>"
                + "</tr></thead>\n<tbody>\n");
        for (ServerConfigFile.Module module : new java.util.TreeMap<>(configured.modules()).values()) {
            body.append("<tr><td class=\"mono\"><b>").append(Html.escape(module.name())).append("</b></td><td>")
                    .append(arguments(RunHistory.mask(module.args()))).append("</td><td class=\"mono small\">")
                    .append(module.env().isEmpty() ? "" : Html.escape(String.join(", ", module.env().keySet()))
                            + " <span class=\"muted\">(values not shown)</span>")
                    .append("</td><td class=\"small\">").append(Html.escape(module.allowedTargets()
                            .map(list -> String.join(", ", list.entries())).orElse("the exporter's")))
                    .append("</td></tr>\n");
        }
        body.append("</tbody>\n</table>\n");
    }

    /**
     * A plain GET form: {@code /exporters/NAME/scrape} turns what was filled in into a scrape URL (empty fields
     * left out, which a form cannot do by itself) and redirects there, with {@code debug} or without.
     */
    private static void form(StringBuilder body, String name, List<ExporterOptions.Option> options,
            ServerConfigFile.Exporter configured, boolean known) {
        body.append("<h2 id=\"try\">Try it</h2>\n<form class=\"try\" method=\"get\" action=\"/exporters/")
                .append(Html.escape(name)).append("/scrape\">\n");
        if (configured != null && !configured.modules().isEmpty()) {
            body.append("<label><span>module</span><select name=\"module\"><option value=\"\">(none)</option>");
            for (String module : new TreeSet<>(configured.modules().keySet())) {
                body.append("<option>").append(Html.escape(module)).append("</option>");
            }
            body.append("</select><span class=\"muted small\">a query cannot set an option its module sets</span>"
                    + "</label>\n");
        }
        Optional<Set<String>> allowed = configured == null ? Optional.empty() : configured.allowQueryOptions();
        for (ExporterOptions.Option option : options) {
            if (allowed.isPresent() && !allowed.get().contains(option.bareName())) {
                continue;
            }
            String field = Html.escape(option.name());
            body.append("<label><span>").append(field).append("</span>");
            if (option.flag()) {
                body.append("<input type=\"checkbox\" name=\"flag\" value=\"").append(field).append("\">");
            } else {
                body.append("<input type=\"text\" name=\"").append(field).append("\" placeholder=\"")
                        .append(Html.escape(option.paramLabel() + (option.shownDefault().isEmpty()
                                || RunHistory.isSecret(option.bareName()) ? "" : ", default " + option.shownDefault())))
                        .append("\">");
            }
            body.append("<span class=\"muted small\">").append(Html.escape(option.repeatable()
                    ? "several: separate them with spaces" : option.required() ? "required" : "")).append("</span>")
                    .append("</label>\n");
        }
        if (!known) {
            body.append("<p class=\"muted small\">Once its options are known, they are fields here.</p>\n");
        }
        body.append("<div class=\"buttons\"><button name=\"run\" value=\"debug\">Run with ?debug</button>"
                + "<button class=\"secondary\" name=\"run\" value=\"scrape\">Scrape</button></div>\n"
                + "<p class=\"muted small\">Empty fields are left out; the browser goes to the scrape URL, "
                + "<code>/metrics/").append(Html.escape(name)).append("?...</code>, which is also what Prometheus "
                + "would ask for.</p>\n</form>\n");
    }

    // ---- GET /logs?id=N ----

    String log(RunHistory.Entry entry) {
        StringBuilder body = new StringBuilder();
        body.append("<h1>Run ").append(entry.id()).append(": <a href=\"/exporters/").append(Html.escape(entry.exporter()))
                .append("\">").append(Html.escape(entry.exporter())).append("</a></h1>\n<p>").append(status(entry))
                .append("</p>\n<dl class=\"facts\">\n");
        fact(body, "Time", TIME.format(entry.time()) + " UTC");
        fact(body, "Took", seconds(entry.seconds()));
        fact(body, "Module", entry.module() == null ? "none" : entry.module());
        fact(body, "Exit code", entry.exitCode() == null ? "none: the run did not finish" : entry.exitCode().toString());
        body.append("<dt>Arguments</dt><dd>").append(arguments(entry.arguments())).append("</dd>\n</dl>\n");
        if (!entry.message().isEmpty()) {
            body.append("<h2>The server's answer</h2>\n").append(Html.pre(entry.message(), true));
        }
        if (entry.exitCode() != null) {
            body.append("<h2>stderr</h2>\n").append(Html.pre(entry.stderr(), !entry.succeeded()));
            body.append("<h2>stdout</h2>\n").append(Html.pre(entry.stdout(), false));
            body.append("<h2>Metrics <span class=\"muted small\">(the first ").append(RunHistory.METRICS_LINES)
                    .append(" lines)</span></h2>\n").append(Html.pre(entry.metrics(), false));
        }
        body.append("<footer>Runs are kept in memory, the last ").append(history.capacity())
                .append("; each keeps the start and end of its output only.</footer>\n");
        return Html.page("run " + entry.id() + " of " + entry.exporter() + " - metrics", body.toString());
    }

    /** A page saying what was not found. */
    static String notFound(String title, String message) {
        return Html.page(title + " - metrics", "<h1>" + Html.escape(title) + "</h1>\n<p>" + Html.escape(message)
                + "</p>\n<p><a href=\"/\">Back to the start page</a></p>\n");
    }

    // ---- parts ----

    private void runs(StringBuilder body, List<RunHistory.Entry> entries, String exporter) {
        body.append("<h2 id=\"runs\">Recent runs");
        if (exporter != null) {
            body.append(" of ").append(Html.escape(exporter));
        }
        body.append(" <span class=\"muted small\">(newest first; the server keeps the last ").append(history.capacity())
                .append(")</span></h2>\n");
        if (entries.isEmpty()) {
            body.append("<p class=\"muted\">None yet.</p>\n");
            return;
        }
        boolean modules = entries.stream().anyMatch(entry -> entry.module() != null);
        body.append("<table>\n<thead><tr><th>time (UTC)</th>").append(exporter == null ? "<th>exporter</th>" : "")
                .append(modules ? "<th>module</th>" : "")
                .append("<th>arguments</th><th>status</th><th>took</th><th></th></tr></thead>\n<tbody>\n");
        for (RunHistory.Entry entry : entries) {
            body.append("<tr><td class=\"nowrap mono\">").append(TIME.format(entry.time())).append("</td>");
            if (exporter == null) {
                body.append("<td><a href=\"/exporters/").append(Html.escape(entry.exporter())).append("\">")
                        .append(Html.escape(entry.exporter())).append("</a></td>");
            }
            if (modules) {
                body.append("<td class=\"mono\">").append(Html.escape(entry.module() == null ? "" : entry.module()))
                        .append("</td>");
            }
            body.append("<td>").append(arguments(entry.arguments())).append("</td><td>").append(status(entry))
                    .append("</td><td class=\"num\">").append(seconds(entry.seconds()))
                    .append("</td><td><a href=\"/logs?id=").append(entry.id()).append("\">log</a></td></tr>\n");
        }
        body.append("</tbody>\n</table>\n");
    }

    private static String status(RunHistory.Entry entry) {
        int status = entry.status();
        String kind = status == 200 ? "ok" : status == 400 || status == 503 ? "warn" : "bad";
        return Html.badge(kind, status + " " + entry.outcome());
    }

    private static String arguments(List<String> arguments) {
        if (arguments.isEmpty()) {
            return "<span class=\"muted\">none</span>";
        }
        // a code each, kept whole on a line (a browser would break "--timeout" after its dashes)
        return "<span class=\"args\">" + arguments.stream().map(argument -> "<code>" + Html.escape(argument) + "</code>")
                .collect(Collectors.joining(" ")) + "</span>";
    }

    private static String build(Builds.Status status, boolean brief) {
        if (status == null) {
            return Html.badge("idle", "not built yet");
        }
        return switch (status.state()) {
            case BUILT -> Html.badge("ok", "built");
            case BUILDING -> Html.badge("warn", "building");
            case FAILED -> Html.badge("bad", "build failed") + (brief
                    ? "<details><summary class=\"small\">the error</summary>" + Html.pre(status.message(), true)
                    + "</details>" : Html.pre(status.message(), true));
        };
    }

    private String mode(String name, Script script) {
        BuiltExporter.Mode override = settings.modes().get(name);
        return override != null ? override.label() + " (EXPORTER_MODES)" : script.mode();
    }

    private static String scrapeLinks(String name) {
        String escaped = Html.escape(name);
        return "<a href=\"/metrics/" + escaped + "\">/metrics/" + escaped + "</a><a href=\"/metrics/" + escaped
                + "?debug\">?debug</a>";
    }

    private static void fact(StringBuilder body, String term, String value) {
        body.append("<dt>").append(Html.escape(term)).append("</dt><dd>").append(Html.escape(value)).append("</dd>\n");
    }

    private static String version(Class<?> type) {
        String version = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
        return version == null ? "?" : version;
    }

    static String seconds(double seconds) {
        return seconds < 1 ? String.format(Locale.ROOT, "%.1f ms", seconds * 1000)
                : String.format(Locale.ROOT, "%.2f s", seconds);
    }

    private static String duration(Duration duration) {
        long minutes = duration.toMinutes();
        return minutes < 1 ? duration.toSeconds() + " s" : minutes < 120 ? minutes + " min"
                : minutes / 60 + " h " + minutes % 60 + " min";
    }
}
