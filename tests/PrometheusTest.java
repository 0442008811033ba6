import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Prometheus scrapes the server: its own metrics, and an exporter for two targets, multi-target style. */
class PrometheusTest {

    static String config(int serverPort) {
        return String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  scrape_timeout: 1s",
                "scrape_configs:",
                "  - job_name: metrics-server",
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + serverPort + "']",
                "  - job_name: noop",
                "    metrics_path: /metrics/noop",
                "    static_configs:",
                "      - targets: ['core-sw01', 'core-sw02']",
                "    relabel_configs:",
                "      - source_labels: [__address__]",
                "        target_label: __param_target",
                "      - source_labels: [__param_target]",
                "        target_label: instance",
                "      - target_label: __address__",
                "        replacement: 127.0.0.1:" + serverPort,
                "");
    }

    @Test
    void prometheus_scrapes_the_server_and_an_exporter_for_two_targets(@TempDir Path dir) throws Exception {
        try (ServerProcess server = ServerProcess.start(dir, Map.of("WORKERS", "2"));
                Prometheus prometheus = Prometheus.start(dir, config(server.port))) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            JsonArray up = new JsonArray();
            JsonArray samples = new JsonArray();
            JsonArray serverRequests = new JsonArray();
            String counted = "server_exporter_requests_total{path=\"/metrics/noop\",status=\"200\"} >= 2";
            while (System.nanoTime() < deadline) {
                up = prometheus.query("up == 1");
                samples = prometheus.query("noop_up");
                serverRequests = prometheus.query(counted);
                if (up.size() == 3 && samples.size() == 2 && serverRequests.size() == 1) {
                    break;
                }
                Thread.sleep(500);
            }
            assertEquals(3, up.size(), "targets up: " + up + "\n" + prometheus.targets() + "\n" + server.log());
            Set<String> instances = new TreeSet<>();
            for (JsonElement sample : samples) {
                JsonObject metric = sample.getAsJsonObject().getAsJsonObject("metric");
                assertEquals(metric.get("instance").getAsString(), metric.get("target").getAsString());
                assertEquals("1", sample.getAsJsonObject().getAsJsonArray("value").get(1).getAsString());
                instances.add(metric.get("instance").getAsString());
            }
            assertEquals(Set.of("core-sw01", "core-sw02"), instances);
            assertEquals(1, serverRequests.size(), "the server's own metrics did not count the scrapes: " + counted);
        }
    }

    /** The same over HTTPS with basic auth: Prometheus's own tls_config and basic_auth, as an operator writes them. */
    @Test
    void prometheus_scrapes_over_tls_with_basic_auth(@TempDir Path dir) throws Exception {
        TestPki pki = new TestPki(dir).ca("ca").server("server", "ca", "rsa");
        java.nio.file.Files.writeString(dir.resolve("password"), "prom-pw");
        Path web = java.nio.file.Files.writeString(dir.resolve("web.yml"), "tls_server_config:\n  cert_file: "
                + pki.path("server.crt") + "\n  key_file: " + pki.path("server.key") + "\nbasic_auth_users:\n  prometheus: "
                + BasicAuthTest.htpasswd(5, "prometheus", "prom-pw") + "\n");
        String secured = "    scheme: https\n    tls_config:\n      ca_file: " + pki.path("ca.crt")
                + "\n      server_name: localhost\n    basic_auth:\n      username: prometheus\n      password_file: "
                + dir.resolve("password") + "\n";
        try (ServerProcess server = ServerProcess.start(dir, Map.of(), "--web.config.file=" + web)) {
            String config = config(server.port).replace("  - job_name: noop\n", secured + "  - job_name: noop\n")
                    + secured;
            try (Prometheus prometheus = Prometheus.start(dir, config)) {
                long deadline = System.nanoTime() + 60_000_000_000L;
                JsonArray up = new JsonArray();
                while (System.nanoTime() < deadline) {
                    up = prometheus.query("up == 1");
                    if (up.size() == 3) {
                        break;
                    }
                    Thread.sleep(500);
                }
                assertEquals(3, up.size(), "targets up: " + up + "\n" + prometheus.targets() + "\n" + server.log());
                assertTrue(server.log().contains("(TLS)"), server.log());
            }
        }
    }
}
