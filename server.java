///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS io.javalin:javalin:7.2.3
//DEPS org.slf4j:slf4j-simple:2.0.18
//RUNTIME_OPTIONS -XX:+UseSerialGC -Xmn16m -Xmx256m -Xss512k -XX:MaxHeapFreeRatio=30 -XX:MinHeapFreeRatio=10
//SOURCES exporters/Exporter.java
//SOURCES resolve/ExporterLocator.java
//SOURCES resolve/BundledExporters.java
//SOURCES resolve/BuildCache.java
//SOURCES resolve/BuiltExporter.java
//SOURCES resolve/JBang.java
//SOURCES resolve/Cache.java
//SOURCES http/ServerSettings.java
//SOURCES http/ServerMetrics.java
//SOURCES scheduler/TemporaryRoot.java
//SOURCES http/GracefulStop.java
//SOURCES http/HttpApi.java
//SOURCES http/Answers.java
//SOURCES http/QueryArguments.java
//SOURCES http/ExporterRuns.java
//SOURCES http/Configuration.java
//SOURCES http/Discovery.java
//SOURCES http/RunHistory.java
//SOURCES http/ExporterOptions.java
//SOURCES http/Html.java
//SOURCES http/Pages.java
//SOURCES scheduler/Scheduler.java
//SOURCES scheduler/Run.java
//SOURCES scheduler/RunResult.java
//SOURCES scheduler/RunRequest.java
//SOURCES scheduler/Builds.java
//SOURCES scheduler/WorkerPool.java
//SOURCES scheduler/WorkerConnection.java
//SOURCES scheduler/WorkerSockets.java
//SOURCES scheduler/ProcessGroups.java
//SOURCES config/ConfigException.java
//SOURCES config/StrictYaml.java
//SOURCES config/Secret.java
//SOURCES config/TargetAllowList.java
//SOURCES config/ServerConfigFile.java
//SOURCES config/ConfigCheck.java
//SOURCES security/Pem.java
//SOURCES security/WebConfig.java
//SOURCES security/BasicAuth.java
//SOURCES security/TlsSetup.java
//SOURCES security/ListenAddress.java
//SOURCES security/WebSecurity.java
//COMPILE_OPTIONS -XDignore.symbol.file
//DESCRIPTION HTTP server: GET /metrics (its own), GET /metrics/NAME?target=x runs exporter NAME per request.

import io.javalin.Javalin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts the server from the environment (PORT, HOST, WORKERS, TIMEOUT, ...); SIGTERM stops it gracefully. */
@Command(name = "server", usageHelpAutoWidth = true, mixinStandardHelpOptions = false,
        description = "Serves exporters over HTTP. Settings come from the environment: PORT (80), HOST (0.0.0.0), "
                + "WORKERS (2), TIMEOUT (59 seconds), MAX_CONCURRENT_RUNS (128): see the README.")
public class server implements Callable<Integer> {
    static final int BAD_CONFIG = 2;

    @Option(names = "--prepare", description = "Build every exporter present (fill the caches), then exit.")
    boolean prepare;

    @Option(names = "--web.config.file", paramLabel = "FILE", defaultValue = "${env:WEB_CONFIG_FILE}",
            description = "TLS, basic auth and headers, in the exporter toolkit's web-config.yml format "
                    + "(default: WEB_CONFIG_FILE).")
    Path webConfigFile;

    @Option(names = "--config.file", paramLabel = "FILE", defaultValue = "${env:CONFIG_FILE}",
            description = "Modules, allowed query options and targets, discovery targets (default: CONFIG_FILE).")
    Path configFile;

    @Option(names = "--web.listen-address", paramLabel = "HOST:PORT",
            description = "Where to listen, repeatable ([::1]:9100, :9100 for every interface); default HOST:PORT.")
    List<String> listenAddresses = new ArrayList<>();

    @Option(names = "--web.external-url", paramLabel = "URL",
            description = "The server as Prometheus reaches it (https://metrics.example:9100/prefix), for the "
                    + "addresses /discovery gives; default: each request's Host.")
    java.net.URI externalUrl;

    @Option(names = "--config.check", description = "Check both configuration files, say what they set up, and "
            + "exit: 0 when they are good, 1 when not.")
    boolean check;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    public static void main(String[] args) {
        System.exit(new CommandLine(new server()).setParameterExceptionHandler(RunHarness::usageError).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ServerSettings settings;
        try {
            settings = ServerSettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("server: " + e.getMessage());
            return BAD_CONFIG;
        }
        if (check) {
            ConfigCheck.Report report = ConfigCheck.check(webConfigFile, configFile, System.getenv());
            report.lines().forEach(line -> (report.problems().contains(line) ? System.err : System.out)
                    .println("server: " + line));
            return report.ok() ? 0 : 1;
        }
        ExporterLocator locator = ExporterLocator.standard(System.getenv(), Path.of(""), server.class);
        Builds builds = new Builds(BuildCache.standard()::resolve);
        if (prepare) {
            return prepareAll(locator, builds);
        }
        List<ListenAddress> addresses = new ArrayList<>();
        ServerMetrics metrics = new ServerMetrics();
        Configuration configuration;
        try {
            for (String address : listenAddresses) {
                addresses.add(ListenAddress.parse(address));
            }
            if (addresses.isEmpty()) {
                addresses.add(new ListenAddress(settings.host(), settings.port()));
            }
            configuration = Configuration.load(webConfigFile, configFile, System.getenv(), metrics);
            if (externalUrl != null && (externalUrl.getHost() == null
                    || !List.of("http", "https").contains(externalUrl.getScheme()))) {
                throw new IllegalArgumentException("--web.external-url must be an http(s)://HOST[:PORT][/PATH] URL, got '"
                        + externalUrl + "'");
            }
        } catch (IllegalArgumentException | ConfigException e) {
            System.err.println("server: " + e.getMessage());
            return BAD_CONFIG;
        }
        Path temporaryRoot;
        WorkerSockets sockets;
        try {
            temporaryRoot = TemporaryRoot.create(System.getenv());
            sockets = new WorkerSockets(temporaryRoot);
        } catch (java.io.IOException e) {
            System.err.println("server: " + e.getMessage());
            return BAD_CONFIG;
        }
        try {
            Scheduler scheduler = new Scheduler(locator, builds, settings, metrics, sockets);
            return serve(new HttpApi(settings, externalUrl, addresses, configuration, scheduler, metrics), settings, scheduler,
                    configuration, sockets, temporaryRoot);
        } finally {
            sockets.close();
            Cache.deleteRecursively(temporaryRoot);
        }
    }

    /** Builds every exporter present, one after the other; 1 when any cannot be built. */
    private static int prepareAll(ExporterLocator locator, Builds builds) {
        int failed = 0;
        for (Map.Entry<String, Path> exporter : locator.all().entrySet()) {
            try {
                builds.prepare(exporter.getKey(), exporter.getValue()).join();
                System.out.println("ok     " + exporter.getKey());
            } catch (CompletionException e) {
                System.out.println("FAILED " + exporter.getKey());
                failed++;
            }
        }
        return failed == 0 ? 0 : 1;
    }

    private static int serve(HttpApi api, ServerSettings settings, Scheduler scheduler, Configuration configuration,
            WorkerSockets sockets, Path temporaryRoot) throws InterruptedException {
        Javalin app = api.create();
        try {
            app.start();
        } catch (RuntimeException e) {
            System.err.println("server: cannot listen on " + api.addresses().stream().map(ListenAddress::toString)
                    .collect(java.util.stream.Collectors.joining(", ")) + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
            return 1;
        }
        System.out.println("server: listening on " + String.join(", ", HttpApi.listening(app))
                + (configuration.web().tlsEnabled() ? " (TLS)" : "") + "; " + settings.workers()
                + " worker JVM(s) per exporter, at most " + settings.maxConcurrentRuns() + " runs at once, timeout "
                + settings.timeout().toMillis() / 1000.0 + " s; private directory " + temporaryRoot + "; exporters: "
                + String.join(", ", scheduler.exporters().keySet()));
        scheduler.prepareAll();
        // SIGHUP reads the configuration files again, as POST /-/reload does (and no longer ends the JVM)
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> HttpApi.reload(configuration));

        // SIGTERM (and Ctrl-C) run the shutdown hooks: stop gracefully there, then end with status 0
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("server: stopping: " + api.beginStopping() + " request(s) in flight");
            try {
                GracefulStop.stop(app, api, scheduler, settings.timeout());
                sockets.close();
                Cache.deleteRecursively(temporaryRoot);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.io.IOException e) {
                System.err.println("server: cannot remove " + temporaryRoot + ": " + e.getMessage());
            }
            System.out.println("server: stopped");
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }, "graceful-stop"));
        new java.util.concurrent.CountDownLatch(1).await(); // serve until a signal ends the JVM
        return 0;
    }
}
