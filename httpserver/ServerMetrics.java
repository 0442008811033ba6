import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.CounterMetricFamily;
import java.util.List;

/** The server's own metrics, with the original's names and HELP texts, in a registry of the server's own. */
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

    ServerMetrics() {
        registry.register(new Collector() {
            @Override
            public List<MetricFamilySamples> collect() {
                return List.of(new CounterMetricFamily("server_uptime_seconds_total", "Server uptime, in seconds",
                        (System.nanoTime() - startNanos) / 1e9));
            }
        });
    }

    /** Counts one request to an existing exporter (unknown names are not counted here: no unbounded labels). */
    void exporterRequest(String path, int status, double seconds) {
        exporterRequests.labels(path, Integer.toString(status)).inc();
        exporterSeconds.labels(path).inc(seconds);
    }

    String text() {
        return Exposition.text(registry);
    }
}
