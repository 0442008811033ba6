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
//SOURCES scheduler/Scheduler.java
//SOURCES scheduler/Run.java
//SOURCES scheduler/RunResult.java
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
//DESCRIPTION HTTP server: GET /metrics (its own), GET /metrics/NAME?target=x runs exporter NAME per request.

import io.javalin.Javalin;
import java.nio.file.Path;
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
        ExporterLocator locator = ExporterLocator.standard(System.getenv(), Path.of(""), server.class);
        Builds builds = new Builds(BuildCache.standard()::resolve);
        if (prepare) {
            return prepareAll(locator, builds);
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
            ServerMetrics metrics = new ServerMetrics();
            Scheduler scheduler = new Scheduler(locator, builds, settings, metrics, sockets);
            return serve(settings, scheduler, metrics, sockets, temporaryRoot);
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

    private static int serve(ServerSettings settings, Scheduler scheduler, ServerMetrics metrics, WorkerSockets sockets,
            Path temporaryRoot) throws InterruptedException {
        HttpApi api = new HttpApi(settings, scheduler, metrics);
        Javalin app = api.create();
        try {
            app.start();
        } catch (RuntimeException e) {
            System.err.println("server: cannot listen on " + settings.host() + ":" + settings.port() + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
            return 1;
        }
        System.out.println("server: listening on " + settings.host() + ":" + app.port() + "; " + settings.workers()
                + " worker JVM(s) per exporter, at most " + settings.maxConcurrentRuns() + " runs at once, timeout "
                + settings.timeout().toMillis() / 1000.0 + " s; private directory " + temporaryRoot + "; exporters: "
                + String.join(", ", scheduler.exporters().keySet()));
        scheduler.prepareAll();

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
