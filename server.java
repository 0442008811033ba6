///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS io.javalin:javalin:7.2.3
//RUNTIME_OPTIONS -XX:+UseSerialGC -Xmn16m -Xmx256m -Xss512k -XX:MaxHeapFreeRatio=30 -XX:MinHeapFreeRatio=10
//SOURCES exporters/Exporter.java
//SOURCES dispatch/ExporterLocator.java
//SOURCES dispatch/BundledExporters.java
//SOURCES dispatch/ExporterCommands.java
//SOURCES dispatch/Cache.java
//SOURCES dispatch/ClassDataArchive.java
//SOURCES httpserver/ServerConfig.java
//SOURCES httpserver/TemporaryRoot.java
//SOURCES httpserver/ServerApp.java
//SOURCES httpserver/ServerMetrics.java
//SOURCES httpserver/ExporterArguments.java
//SOURCES httpserver/ExporterRunner.java
//SOURCES httpserver/ExporterProcess.java
//SOURCES httpserver/ProcessGroups.java
//SOURCES httpserver/Response.java
//SOURCES httpserver/GracefulStop.java
//SOURCES httpserver/Worker.java
//SOURCES httpserver/WorkerPool.java
//SOURCES server/config/ConfigException.java
//SOURCES server/config/StrictYaml.java
//SOURCES server/config/Secret.java
//SOURCES server/config/TargetAllowList.java
//SOURCES server/config/ServerConfigFile.java
//SOURCES server/config/ConfigCheck.java
//SOURCES server/security/Pem.java
//SOURCES server/security/WebConfig.java
//SOURCES server/security/BasicAuth.java
//SOURCES server/security/TlsSetup.java
//SOURCES server/security/ListenAddress.java
//SOURCES server/security/WebSecurity.java
//DESCRIPTION HTTP server: GET /metrics (its own), GET /metrics/NAME?target=x runs exporter NAME per request.

import io.javalin.Javalin;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts the server from the environment (PORT, HOST, WORKERS, TIMEOUT); SIGTERM stops it gracefully. */
@Command(name = "server", usageHelpAutoWidth = true, mixinStandardHelpOptions = false,
        description = "Serves exporters over HTTP. Settings come from the environment: PORT (80), HOST (0.0.0.0), "
                + "WORKERS (2), TIMEOUT (59 seconds).")
public class server implements Callable<Integer> {
    static final int BAD_CONFIG = 2;

    @Option(names = "--prepare", description = "Build every exporter present (fill the caches), then exit.")
    boolean prepare;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    public static void main(String[] args) {
        System.exit(new CommandLine(new server()).setParameterExceptionHandler(ExporterRun::usageError).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig config;
        try {
            config = ServerConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("server: " + e.getMessage());
            return BAD_CONFIG;
        }
        ExporterLocator locator = ExporterLocator.standard(System.getenv(), Path.of(""), server.class);
        Path temporaryRoot;
        try {
            temporaryRoot = TemporaryRoot.create(System.getenv());
        } catch (java.io.IOException e) {
            System.err.println("server: " + e.getMessage());
            return BAD_CONFIG;
        }
        try {
            ServerMetrics metrics = new ServerMetrics();
            ExporterRunner runner = new ExporterRunner(locator, ExporterCommands.standard(), config, metrics,
                    temporaryRoot);
            if (prepare) {
                return prepareAll(runner);
            }
            return serve(config, runner, metrics, temporaryRoot);
        } finally {
            Cache.deleteRecursively(temporaryRoot);
        }
    }

    private static int prepareAll(ExporterRunner runner) {
        Map<String, String> failures = runner.prepareAll();
        runner.exporters().keySet().forEach(name -> System.out.println((failures.containsKey(name) ? "FAILED " : "ok     ")
                + name));
        failures.forEach((name, why) -> System.err.println("server: exporter '" + name + "' cannot be built: " + why));
        return failures.isEmpty() ? 0 : 1;
    }

    private static int serve(ServerConfig config, ExporterRunner runner, ServerMetrics metrics, Path temporaryRoot)
            throws InterruptedException {
        ServerApp api = new ServerApp(config, runner, metrics);
        Javalin app = api.create();
        try {
            app.start();
        } catch (RuntimeException e) {
            System.err.println("server: cannot listen on " + config.host() + ":" + config.port() + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
            return 1;
        }
        System.out.println("server: listening on " + config.host() + ":" + app.port() + " with " + config.workers()
                + " worker slots, exporter timeout " + config.timeout().toMillis() / 1000.0 + " s, run files in "
                + temporaryRoot + "; exporters: "
                + String.join(", ", runner.exporters().keySet()));
        Thread warmUp = new Thread(runner::prepareAll, "prepare-exporters");
        warmUp.setDaemon(true);
        warmUp.start();
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "retire-idle-workers");
            thread.setDaemon(true);
            return thread;
        }).scheduleWithFixedDelay(runner::retireIdleWorkers, 1, 1, java.util.concurrent.TimeUnit.MINUTES);

        // SIGTERM (and Ctrl-C) run the shutdown hooks: stop gracefully there, then end with status 0
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("server: stopping: " + api.beginStopping() + " request(s) in flight");
            try {
                GracefulStop.stop(app, api, runner, config.timeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                Cache.deleteRecursively(temporaryRoot);
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
