import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.Gauge;
import io.prometheus.client.GaugeMetricFamily;
import java.util.List;
import java.util.function.IntSupplier;

/** The server's own metrics, the original's names and HELP texts first, in a registry of the server's own. */
final class ServerMetrics {
    final CollectorRegistry registry = new CollectorRegistry();
    private final long startNanos = System.nanoTime();

    final Counter requests = Counter.build().name("server_requests_total")
            .help("Total requests made to the server, grouped by HTTP status code")
            .labelNames("status").register(registry);
    final Counter exporterRequests = Counter.build().name("server_exporter_requests_total")
            .help("Total requests made to exporters, grouped by exporter (path) and HTTP status code")
            .labelNames("path", "status").register(registry);
    final Counter exporterSeconds = Counter.build().name("server_exporter_seconds_total")
            .help("Total time spent handling exporters, in seconds, grouped by exporter (path)")
            .labelNames("path").register(registry);
    final Counter internalErrors = Counter.build().name("server_internal_errors_total")
            .help("Requests answered 500 because of an unexpected error in the server (each is logged)")
            .register(registry);

    final Gauge mode = Gauge.build().name("server_exporter_mode")
            .help("How each exporter runs: 1 for its mode (warm: runs at once in long-lived worker JVMs; serial: "
                    + "one run at a time per worker; fresh: a JVM per run)")
            .labelNames("path", "mode").register(registry);
    final Gauge workers = Gauge.build().name("server_workers")
            .help("Warm worker JVMs alive, by exporter (path) and module of the configuration file (\"\" for none)")
            .labelNames("path", "module").register(registry);
    final Counter workerStarts = Counter.build().name("server_worker_starts_total")
            .help("Warm worker JVMs started, by exporter (path) and module").labelNames("path", "module").register(registry);
    final Counter workerRestarts = Counter.build().name("server_worker_restarts_total")
            .help("Warm worker JVMs retired, by exporter (path), module and reason (deadline, crashed, source_changed, "
                    + "config_changed, leftovers, max_runs, memory, idle, shutdown)")
            .labelNames("path", "module", "reason").register(registry);
    final Gauge workerRuns = Gauge.build().name("server_worker_runs")
            .help("Runs done by the warm worker now in each slot (0 to WORKERS-1), by exporter (path) and module")
            .labelNames("path", "module", "slot").register(registry);

    ServerMetrics() {
        registry.register(new Collector() {
            @Override
            public List<MetricFamilySamples> collect() {
                return List.of(new CounterMetricFamily("server_uptime_seconds_total", "Server uptime, in seconds",
                        (System.nanoTime() - startNanos) / 1e9));
            }
        });
    }

    /** Runs in flight now, and the most there may be (MAX_CONCURRENT_RUNS). */
    void runsInFlight(IntSupplier inFlight, int limit) {
        registry.register(new Collector() {
            @Override
            public List<MetricFamilySamples> collect() {
                return List.of(new GaugeMetricFamily("server_runs_in_flight",
                                "Exporter runs admitted and not yet ended (building, waiting, running)", inFlight.getAsInt()),
                        new GaugeMetricFamily("server_runs_in_flight_limit",
                                "The most runs in flight at once (MAX_CONCURRENT_RUNS); past it, 503", limit));
            }
        });
    }

    /** Counts one request to an existing exporter (unknown names are not counted here: no unbounded labels). */
    void exporterRequest(String path, int status, double seconds) {
        exporterRequests.labels(path, Integer.toString(status)).inc();
        exporterSeconds.labels(path).inc(seconds);
    }

    void mode(String path, String modeLabel) {
        for (String each : new String[] {"warm", "serial", "fresh"}) {
            mode.labels(path, each).set(each.equals(modeLabel) ? 1 : 0);
        }
    }

    void workerStarted(String path, String module, int alive) {
        workerStarts.labels(path, module).inc();
        workers.labels(path, module).set(alive);
    }

    void workerRetired(String path, String module, String reason, int alive, int slot) {
        workerRestarts.labels(path, module, reason).inc();
        workers.labels(path, module).set(alive);
        workerRuns.labels(path, module, Integer.toString(slot)).set(0);
    }

    void workerRuns(String path, String module, int slot, int runs) {
        workerRuns.labels(path, module, Integer.toString(slot)).set(runs);
    }

    String text() {
        return Exposition.text(registry);
    }
}
