import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushing to a real Pushgateway (Debian prometheus-pushgateway) and what happens when that fails. */
class PushTest {

    @Test
    void push_puts_the_group_and_replaces_it(@TempDir Path dir) throws Exception {
        try (Pushgateway gateway = Pushgateway.start(dir)) {
            Commands.Result first = Commands.jbang("metrics", "--exporter", "noop", "--target", "a",
                    "--pushgateway-address", gateway.address(), "--grouping-key", "instance=sw1");
            assertEquals(0, first.exit(), first.describe());
            assertTrue(first.out().contains("noop_up{target=\"a\"} 1.0"), "metrics are printed too");
            String pushed = gateway.metrics();
            assertTrue(pushed.contains("noop_up{instance=\"sw1\",job=\"noop\",target=\"a\"} 1"), pushed);
            assertFalse(pushed.contains("noop_up_created"), pushed);

            // PUT replaces the whole group: the series labelled target="a" is gone after the second push
            Commands.Result second = Commands.jbang("metrics", "--exporter", "noop", "--no-print",
                    "--pushgateway-address", "http://" + gateway.address(), "--grouping-key", "instance=sw1");
            assertEquals(0, second.exit(), second.describe());
            String replaced = gateway.metrics();
            assertTrue(replaced.contains("noop_up{instance=\"sw1\",job=\"noop\"} 1"), replaced);
            assertFalse(replaced.contains("target=\"a\""), replaced);
        }
    }

    @Test
    void push_uses_basic_auth_from_the_environment(@TempDir Path dir) throws Exception {
        String htpasswd = Commands.require("htpasswd", "apache2-utils");
        Commands.Result hash = Commands.run(List.of(htpasswd, "-nbBC", "10", "ops", "s3cret"), dir, Map.of(),
                Duration.ofSeconds(30));
        String bcrypt = hash.out().strip().substring("ops:".length());
        Path config = dir.resolve("web.yml");
        Files.writeString(config, "basic_auth_users:\n  ops: " + bcrypt + "\n");
        String authorization = "Basic " + Base64.getEncoder().encodeToString("ops:s3cret".getBytes(StandardCharsets.UTF_8));
        try (Pushgateway gateway = Pushgateway.startWithAuth(dir, config, authorization)) {
            Commands.Result denied = Commands.jbang("metrics", "--exporter", "noop", "--pushgateway-address",
                    gateway.address());
            assertEquals(4, denied.exit(), denied.describe());
            assertTrue(denied.err().contains("401"), denied.describe());

            Commands.Result allowed = Commands.jbang(Project.root(), Map.of("PUSHGATEWAY_USERNAME", "ops",
                    "PUSHGATEWAY_PASSWORD", "s3cret"), "metrics", "--exporter", "noop", "--pushgateway-address",
                    gateway.address());
            assertEquals(0, allowed.exit(), allowed.describe());
            assertTrue(gateway.metrics(authorization).contains("noop_up{instance=\"\",job=\"noop\"} 1"));
        }
    }

    @Test
    void unreachable_pushgateway_fails_clearly_and_still_prints_and_writes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out.prom");
        int closedPort = Project.freePort();
        Commands.Result result = Commands.jbang("metrics", "--exporter", "noop", "--output-filename", file.toString(),
                "--pushgateway-address", "127.0.0.1:" + closedPort);
        assertEquals(4, result.exit(), result.describe());
        assertTrue(result.err().contains("push to Pushgateway http://127.0.0.1:" + closedPort + " failed"), result.describe());
        assertTrue(result.err().contains("Connection refused"), result.describe());
        assertTrue(result.out().contains("noop_up 1.0"), result.describe());
        assertTrue(Files.readString(file).contains("noop_up 1.0"));
    }

    @Test
    void pushgateway_answering_500_fails_with_the_status(@TempDir Path dir) throws Exception {
        HttpServer broken = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        broken.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "storage on fire".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        broken.start();
        try {
            Commands.Result result = Commands.jbang("metrics", "--exporter", "noop", "--pushgateway-address",
                    "127.0.0.1:" + broken.getAddress().getPort());
            assertEquals(4, result.exit(), result.describe());
            assertTrue(result.err().contains("500"), result.describe());
            assertTrue(result.out().contains("noop_up 1.0"), result.describe());
        } finally {
            broken.stop(0);
        }
    }

    @Test
    void each_exporter_pushes_under_its_own_job_so_groups_do_not_replace_each_other(@TempDir Path dir) throws Exception {
        try (Pushgateway gateway = Pushgateway.start(dir)) {
            assertEquals(0, Commands.jbang(Project.root(), Map.of("METRICS_EXPORTERS",
                    ServerProcess.fixtureExporters().toString()), "metrics", "--exporter", "misbehave", "--no-print",
                    "--pushgateway-address", gateway.address()).exit());
            assertEquals(0, Commands.jbang("metrics", "--exporter", "noop", "--no-print", "--pushgateway-address",
                    gateway.address()).exit());
            String pushed = gateway.metrics();
            assertTrue(pushed.contains("noop_up{instance=\"\",job=\"noop\"} 1"), pushed);
            assertTrue(pushed.contains("misbehave_up{instance=\"\",job=\"misbehave\",target=\"none\"} 1"), pushed);
        }
    }

    @Test
    void grouping_key_values_with_a_slash_or_empty_go_in_base64() throws Exception {
        java.util.Map<String, String> key = new java.util.LinkedHashMap<>();
        key.put("instance", "sw1");
        key.put("path", "/var/x");
        key.put("empty", "");
        key.put("space", "a b");
        assertEquals("http://gw:9091/base/metrics/job/noop/instance/sw1/path@base64/L3Zhci94/empty@base64/=/space/a%20b",
                Push.groupUri(new URL("http://gw:9091/base/"), "noop", key).toString());
    }

    @Test
    void a_pushgateway_that_answers_a_byte_at_a_time_cannot_hold_a_push_past_its_bound() throws Exception {
        try (ServerSocket dribbler = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket client = dribbler.accept()) {
                    OutputStream out = client.getOutputStream();
                    for (byte b : "HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII)) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(500);
                    }
                } catch (IOException | InterruptedException e) {
                    // the client gave up: the point of the test
                }
            });
            server.setDaemon(true);
            server.start();
            long start = System.nanoTime();
            IOException error = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> Push.push(
                    new URL("http://127.0.0.1:" + dribbler.getLocalPort()), "noop", Map.of(), "noop_up 1\n", Map.of(),
                    Duration.ofSeconds(1)));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(error.getMessage().contains("no answer within 1 s"), error.getMessage());
            // the gateway would take 8.5 s to answer; the push gives up after its bound (plus the client's start)
            assertTrue(seconds < 4, "the push took " + seconds + " s, bound 1 s");
        }
    }
}
