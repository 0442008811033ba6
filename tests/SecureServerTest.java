import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's HTTP layer with its two configuration files, in this JVM on port 0 in front of a fake scheduler:
 * basic auth and headers, TLS, modules and what a query may not do, reload by HTTP.
 */
class SecureServerTest {
    static String alice;

    @BeforeAll
    static void users() {
        alice = BasicAuthTest.htpasswd(5, "alice", "alice-pw");
    }

    @TempDir
    Path dir;
    final HttpApiTest.FakeRuns runs = new HttpApiTest.FakeRuns() {
        @Override
        public Map<String, Path> exporters() {
            return Map.of("noop", Path.of("noop.java"), "cisco", Path.of("cisco/cisco.java"));
        }
    };
    final ServerMetrics metrics = new ServerMetrics();
    Javalin app;
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String scheme = "http";
    java.net.URI externalUrl;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    static final String CONFIG = String.join("\n",
            "exporters:",
            "  cisco:",
            "    allow_query_options: [target, timeout]",
            "    allowed_targets: [sw1, 10.0.0.0/8]",
            "    modules:",
            "      dc1:",
            "        args: [\"--snmp-version=3\", \"--username=monitor\", \"--timeout=2\"]",
            "        env: {CISCO_AUTH_PASSWORD: {file: auth.secret}, CISCO_PRIV_PASSWORD: {env: DC1_PRIV}}",
            "");

    Configuration start(String webConfig, String config) throws Exception {
        Path web = webConfig == null ? null : Files.writeString(dir.resolve("web.yml"), webConfig);
        Path server = config == null ? null : Files.writeString(dir.resolve("config.yml"), config);
        Files.writeString(dir.resolve("auth.secret"), "auth-from-file\n");
        Configuration configuration = Configuration.load(web, server, Map.of("DC1_PRIV", "priv-from-env"), metrics);
        app = new HttpApi(ServerSettings.fromEnvironment(Map.of("TIMEOUT", "20")), externalUrl,
                List.of(new ListenAddress("127.0.0.1", 0)), configuration, runs, metrics).create().start();
        return configuration;
    }

    HttpResponse<String> request(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme + "://localhost:" + app.port() + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        return request("GET", path, headers);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void without_the_right_credentials_every_path_but_healthy_is_401_with_a_challenge() throws Exception {
        start("basic_auth_users:\n  alice: " + alice + "\nhttp_server_config:\n  headers:\n    X-Frame-Options: deny\n",
                null);
        for (String path : List.of("/metrics", "/metrics/noop", "/-/ready", "/nothing")) {
            HttpResponse<String> anonymous = get(path);
            assertEquals(401, anonymous.statusCode(), path);
            assertEquals("Basic realm=\"metrics\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(""), path);
            assertEquals(401, get(path, "Authorization", basic("alice", "wrong")).statusCode(), path);
            assertEquals(401, get(path, "Authorization", basic("mallory", "alice-pw")).statusCode(), path);
        }
        assertEquals(List.of(), runs.asked, "nothing ran for a request without credentials");
        HttpResponse<String> allowed = get("/metrics/noop", "Authorization", basic("alice", "alice-pw"));
        assertEquals(200, allowed.statusCode(), allowed.body());
        assertEquals("deny", allowed.headers().firstValue("X-Frame-Options").orElse(""));
        HttpResponse<String> healthy = get("/-/healthy");
        assertEquals(200, healthy.statusCode(), "/-/healthy stays open for liveness probes");
        assertEquals("deny", healthy.headers().firstValue("X-Frame-Options").orElse(""));
        assertEquals(4 * 3, Samples.value(metrics.text(), "server_requests_total{status=\"401\"}"));
    }

    @Test
    void over_tls_with_a_client_certificate_required_only_clients_of_the_ca_get_in() throws Exception {
        TestPki pki = new TestPki(dir).ca("ca").server("server", "ca", "ec").client("client", "ca", "DNS:prometheus")
                .selfSignedClient("stranger");
        start("tls_server_config:\n  cert_file: " + pki.path("server.crt") + "\n  key_file: " + pki.path("server.key")
                + "\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: " + pki.path("ca.crt") + "\n", null);
        scheme = "https";
        client = pki.httpClient("ca", "client.p12");
        assertEquals(200, get("/metrics/noop").statusCode());
        for (HttpClient refused : List.of(pki.httpClient("ca", null), pki.httpClient("ca", "stranger.p12"))) {
            client = refused;
            org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> get("/metrics/noop"));
        }
        assertEquals(1, runs.asked.size());
    }

    @Test
    void a_module_gives_its_arguments_first_and_its_environment_to_its_own_workers() throws Exception {
        start(null, CONFIG);
        HttpResponse<String> response = get("/metrics/cisco?module=dc1&target=sw1");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(List.of("cisco@dc1 --snmp-version=3 --username=monitor --timeout=2 --target=sw1"), runs.asked);
        assertEquals(Map.of("CISCO_AUTH_PASSWORD", "auth-from-file", "CISCO_PRIV_PASSWORD", "priv-from-env"),
                runs.environments.get(0));
        assertEquals(200, get("/metrics/cisco?target=10.1.2.3&timeout=1").statusCode());
        assertEquals("cisco --target=10.1.2.3 --timeout=1", runs.asked.get(1));
        assertEquals(Map.of(), runs.environments.get(1));
    }

    @Test
    void a_query_cannot_override_a_module_pass_other_options_or_name_other_targets() throws Exception {
        start(null, CONFIG);
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("/metrics/cisco?module=dc9&target=sw1", "unknown module 'dc9' for exporter cisco; modules: dc1");
        refused.put("/metrics/cisco?module=dc1&target=sw1&timeout=9", "query option 'timeout' is set by module dc1");
        refused.put("/metrics/cisco?target=sw1&community=guess", "query option 'community' is not allowed for exporter cisco");
        refused.put("/metrics/cisco?target=127.0.0.1:1161", "target '127.0.0.1:1161' is not allowed for exporter cisco");
        refused.put("/metrics/cisco?target=sw1.evil.example", "target 'sw1.evil.example' is not allowed");
        refused.put("/metrics/noop?module=x", "unknown module 'x' for exporter noop: it has no modules");
        for (Map.Entry<String, String> each : refused.entrySet()) {
            HttpResponse<String> response = get(each.getKey());
            assertEquals(400, response.statusCode(), each.getKey() + ": " + response.body());
            assertTrue(response.body().contains(each.getValue()), each.getKey() + ": " + response.body());
        }
        assertEquals(List.of(), runs.asked, "a refused request never reaches an exporter: nothing is sent anywhere");
    }

    @Test
    void reload_by_http_takes_new_files_and_a_broken_one_keeps_the_running_configuration() throws Exception {
        start("basic_auth_users:\n  alice: " + alice + "\n", CONFIG);
        String auth = basic("alice", "alice-pw");
        assertEquals(405, get("/-/reload", "Authorization", auth).statusCode());
        assertEquals(401, request("POST", "/-/reload").statusCode(), "reloading needs the credentials too");

        Files.writeString(dir.resolve("config.yml"), CONFIG.replace("[sw1, 10.0.0.0/8]", "[sw1, sw2]"));
        HttpResponse<String> reloaded = request("POST", "/-/reload", "Authorization", auth);
        assertEquals(200, reloaded.statusCode(), reloaded.body());
        assertEquals(200, get("/metrics/cisco?target=sw2", "Authorization", auth).statusCode());
        assertEquals(400, get("/metrics/cisco?target=10.1.2.3", "Authorization", auth).statusCode());
        assertEquals(1, Samples.value(metrics.text(), "server_config_last_reload_successful"));

        Files.writeString(dir.resolve("config.yml"), "exporters:\n  cisco:\n    modulez: {}\n");
        HttpResponse<String> broken = request("POST", "/-/reload", "Authorization", auth);
        assertEquals(500, broken.statusCode());
        assertTrue(broken.body().contains("reload failed, the running configuration is kept"), broken.body());
        assertTrue(broken.body().contains("modulez"), broken.body());
        assertEquals(200, get("/metrics/cisco?target=sw2", "Authorization", auth).statusCode(), "the old file still rules");
        assertEquals(0, Samples.value(metrics.text(), "server_config_last_reload_successful"));
        assertTrue(Samples.value(metrics.text(), "server_config_last_reload_success_timestamp_seconds") > 1.7e9);
    }

    @Test
    void secrets_of_modules_never_show_in_answers_or_the_servers_metrics() throws Exception {
        start(null, CONFIG);
        runs.answer = args -> java.util.concurrent.CompletableFuture.completedFuture(
                new RunResult.Finished(1, null, "", "cisco: error: timeout\n"));
        String debug = get("/metrics/cisco?module=dc1&target=sw1&debug").body();
        String refused = get("/metrics/cisco?module=dc1&target=nope").body();
        for (String shown : List.of(debug, refused, metrics.text())) {
            assertFalse(shown.contains("auth-from-file") || shown.contains("priv-from-env"), shown);
        }
    }

    @Test
    void discovery_gives_one_target_group_per_configured_target_at_this_servers_address() throws Exception {
        start(null, CONFIG.replace("    modules:", "    targets: [sw1, {target: 10.0.0.7, module: dc1}]\n    modules:")
                + "  nosuch:\n    targets: [x]\n  noop:\n    targets: []\n");
        HttpResponse<String> response = get("/discovery");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        String address = "localhost:" + app.port();
        assertEquals("[{\"targets\":[\"" + address + "\"],\"labels\":{\"__scheme__\":\"http\",\"__metrics_path__\":"
                + "\"/metrics/cisco\",\"__param_target\":\"sw1\",\"exporter\":\"cisco\",\"instance\":\"sw1\"}},"
                + "{\"targets\":[\"" + address + "\"],\"labels\":{\"__scheme__\":\"http\",\"__metrics_path__\":"
                + "\"/metrics/cisco\",\"__param_target\":\"10.0.0.7\",\"__param_module\":\"dc1\",\"exporter\":\"cisco\","
                + "\"instance\":\"10.0.0.7\"}}]", response.body(), "an exporter not present, or without targets, gives none");

        Files.writeString(dir.resolve("config.yml"), "exporters:\n  noop:\n    targets: [a]\n");
        assertEquals(200, request("POST", "/-/reload").statusCode());
        assertTrue(get("/discovery").body().contains("\"__param_target\":\"a\""), "discovery follows a reload");
    }

    @Test
    void discovery_without_targets_is_an_empty_list_and_the_external_url_gives_the_address() throws Exception {
        externalUrl = java.net.URI.create("https://metrics.example:9443/prefix/");
        start(null, "exporters:\n  noop:\n    targets: [a]\n");
        assertTrue(get("/discovery").body().contains("\"targets\":[\"metrics.example:9443\"],\"labels\":{\"__scheme__\":"
                + "\"https\",\"__metrics_path__\":\"/prefix/metrics/noop\""), get("/discovery").body());
        app.stop();
        externalUrl = null;
        app = new HttpApi(ServerSettings.fromEnvironment(Map.of("HOST", "127.0.0.1", "PORT", "0")), runs,
                new ServerMetrics()).create().start();
        assertEquals("[]", get("/discovery").body());
    }
}
