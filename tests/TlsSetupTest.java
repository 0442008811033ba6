import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS over real loopback connections: an in-process Javalin with the connectors of {@link WebSecurity}, Java's
 * HttpClient with certificates made by openssl. Each client policy is tried with no certificate, one from the CA,
 * one from another CA and a self-signed one.
 */
class TlsSetupTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    private final List<Javalin> apps = new ArrayList<>();

    @BeforeAll
    static void certificates() {
        pki = new TestPki(dir).ca("ca").ca("other-ca")
                .server("server", "ca", "rsa").server("server-pkcs1", "ca", "rsa-pkcs1")
                .server("server-ec", "ca", "ec").server("server-ec8", "ca", "ec-pkcs8").server("rotated", "ca", "rsa")
                .client("client", "ca", "DNS:scraper.example,IP:127.0.0.9")
                .client("other-name", "ca", "DNS:someone.else")
                .client("stranger", "other-ca", "DNS:scraper.example")
                .selfSignedClient("selfsigned");
    }

    @AfterEach
    void stop() {
        apps.forEach(Javalin::stop);
    }

    private WebSecurity web;

    /** Starts an app with the web configuration {@code yaml} on {@code addresses} (default one port on loopback). */
    private Javalin serve(String yaml, ListenAddress... addresses) throws Exception {
        pki.write("web.yml", yaml);
        web = new WebSecurity(WebConfig.load(dir.resolve("web.yml")), Set.of());
        List<ListenAddress> listen = addresses.length == 0 ? List.of(new ListenAddress("127.0.0.1", 0))
                : List.of(addresses);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            web.addConnectors(config.jetty, listen);
            config.routes.before(web);
            config.routes.get("/", ctx -> ctx.result("ok"));
        });
        apps.add(app);
        app.start();
        return app;
    }

    private static String tls(String cert, String key, String more) {
        return "tls_server_config:\n  cert_file: " + cert + ".crt\n  key_file: " + key + ".key\n" + more;
    }

    private static String url(Javalin app) {
        return "https://localhost:" + app.port() + "/";
    }

    private static void answers(HttpClient client, Javalin app) throws Exception {
        HttpResponse<String> response = TestPki.get(client, url(app));
        assertEquals(200, response.statusCode());
        assertEquals("ok", response.body());
    }

    private static void refuses(HttpClient client, Javalin app) {
        assertThrows(IOException.class, () -> TestPki.get(client, url(app)));
    }

    private static BigInteger servedSerial(Javalin app) throws Exception {
        HttpResponse<String> response = TestPki.get(pki.httpClient("ca", null), url(app));
        return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
    }

    private static BigInteger serialOf(String name) throws Exception {
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".crt"))) {
            return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)).getSerialNumber();
        }
    }

    @Test
    void serves_https_with_pkcs8_pkcs1_and_ec_keys() throws Exception {
        for (String server : List.of("server", "server-pkcs1", "server-ec", "server-ec8")) {
            Javalin app = serve(tls(server, server, ""));
            answers(pki.httpClient("ca", null), app);
            assertEquals(serialOf(server), servedSerial(app), server);
        }
        assertTrue(pki.read("server-pkcs1.key").contains("BEGIN RSA PRIVATE KEY"));
        assertTrue(pki.read("server-ec.key").contains("BEGIN EC PRIVATE KEY"));
        assertTrue(pki.read("server-ec8.key").contains("BEGIN PRIVATE KEY"));
    }

    @Test
    void serves_https_with_inline_certificate_and_key() throws Exception {
        Javalin app = serve("tls_server_config:\n  cert: |\n" + WebConfigTest.indent(pki.read("server.crt"))
                + "  key: |\n" + WebConfigTest.indent(pki.read("server.key")));
        answers(pki.httpClient("ca", null), app);
    }

    @Test
    void a_client_that_does_not_trust_the_ca_is_refused_and_plain_http_gets_no_page() throws Exception {
        Javalin app = serve(tls("server", "server", ""));
        refuses(pki.httpClient("other-ca", null), app);
        String plain = "http://localhost:" + app.port() + "/";
        try {
            HttpResponse<String> response = TestPki.get(HttpClient.newHttpClient(), plain);
            assertNotEquals("ok", response.body());
        } catch (IOException expected) {
            // the TLS connector drops a plain request
        }
    }

    @Test
    void require_and_verify_takes_only_certificates_of_the_client_ca() throws Exception {
        Javalin app = serve(tls("server", "server", "  client_auth_type: RequireAndVerifyClientCert\n"
                + "  client_ca_file: ca.crt\n"));
        answers(pki.httpClient("ca", "client.p12"), app);
        refuses(pki.httpClient("ca", null), app);
        refuses(pki.httpClient("ca", "stranger.p12"), app);
        refuses(pki.httpClient("ca", "selfsigned.p12"), app);
    }

    @Test
    void verify_if_given_lets_clients_without_certificate_in_but_checks_those_given() throws Exception {
        Javalin app = serve(tls("server", "server", "  client_auth_type: VerifyClientCertIfGiven\n"
                + "  client_ca_file: ca.crt\n"));
        answers(pki.httpClient("ca", null), app);
        answers(pki.httpClient("ca", "client.p12"), app);
        refuses(pki.httpClient("ca", "stranger.p12"), app);
    }

    @Test
    void require_any_takes_any_certificate_but_needs_one() throws Exception {
        Javalin app = serve(tls("server", "server", "  client_auth_type: RequireAnyClientCert\n"));
        answers(pki.httpClient("ca", "selfsigned.p12"), app);
        answers(pki.httpClient("ca", "stranger.p12"), app);
        refuses(pki.httpClient("ca", null), app);
    }

    @Test
    void request_and_no_client_cert_let_everyone_in() throws Exception {
        Javalin request = serve(tls("server", "server", "  client_auth_type: RequestClientCert\n"));
        answers(pki.httpClient("ca", null), request);
        answers(pki.httpClient("ca", "selfsigned.p12"), request);
        Javalin none = serve(tls("server", "server", ""));
        answers(pki.httpClient("ca", "selfsigned.p12"), none);
        answers(pki.httpClient("ca", null), none);
    }

    @Test
    void client_allowed_sans_refuse_a_verified_certificate_without_one_of_the_names() throws Exception {
        Javalin app = serve(tls("server", "server", "  client_auth_type: RequireAndVerifyClientCert\n"
                + "  client_ca_file: ca.crt\n  client_allowed_sans: [someone.unrelated, 127.0.0.9]\n"));
        answers(pki.httpClient("ca", "client.p12"), app); // by its IP address SAN
        refuses(pki.httpClient("ca", "other-name.p12"), app);
        Javalin byName = serve(tls("server", "server", "  client_auth_type: RequireAndVerifyClientCert\n"
                + "  client_ca_file: ca.crt\n  client_allowed_sans: [scraper.example]\n"));
        answers(pki.httpClient("ca", "client.p12"), byName);
        refuses(pki.httpClient("ca", "other-name.p12"), byName);
    }

    @Test
    void min_version_refuses_older_clients() throws Exception {
        Javalin app = serve(tls("server", "server", "  min_version: TLS13\n"));
        refuses(pki.httpClient("ca", null, "TLSv1.2"), app);
        answers(pki.httpClient("ca", null, "TLSv1.3"), app);
        Javalin defaults = serve(tls("server", "server", ""));
        answers(pki.httpClient("ca", null, "TLSv1.2"), defaults);
    }

    @Test
    void cipher_suites_restrict_tls12_to_the_listed_ones() throws Exception {
        Javalin app = serve(tls("server", "server", "  max_version: TLS12\n"
                + "  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]\n"));
        refuses(clientWithSuites("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), app);
        answers(clientWithSuites("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"), app);
        assertEquals(List.of("TLSv1.2"), Arrays.asList(selected(app).getSelectedProtocols()));
    }

    @Test
    void a_listed_cbc_suite_works_though_jetty_leaves_it_out_by_default() throws Exception {
        Javalin app = serve(tls("server", "server", "  max_version: TLS12\n"
                + "  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA]\n"));
        answers(clientWithSuites("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"), app);
        Javalin defaults = serve(tls("server", "server", "  max_version: TLS12\n"));
        refuses(clientWithSuites("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"), defaults);
    }

    @Test
    void tls13_stays_on_when_cipher_suites_are_listed_as_in_go() throws Exception {
        Javalin app = serve(tls("server", "server", "  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]\n"));
        answers(pki.httpClient("ca", null, "TLSv1.3"), app);
        assertTrue(Arrays.asList(selected(app).getSelectedCipherSuites()).contains("TLS_AES_128_GCM_SHA256"));
    }

    private HttpClient clientWithSuites(String suite) throws Exception {
        HttpClient base = pki.httpClient("ca", null);
        SSLContext context = base.sslContext();
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.2"});
        parameters.setCipherSuites(new String[] {suite});
        return HttpClient.newBuilder().sslContext(context).sslParameters(parameters)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    private static org.eclipse.jetty.util.ssl.SslContextFactory selected(Javalin app) {
        for (Connector connector : app.jettyServer().server().getConnectors()) {
            org.eclipse.jetty.server.SslConnectionFactory ssl =
                    connector.getConnectionFactory(org.eclipse.jetty.server.SslConnectionFactory.class);
            if (ssl != null) {
                return ssl.getSslContextFactory();
            }
        }
        throw new AssertionError("no TLS connector");
    }

    @Test
    void reload_rotates_the_certificate_for_new_connections() throws Exception {
        Javalin app = serve(tls("server", "server", ""));
        assertEquals(serialOf("server"), servedSerial(app));
        pki.write("web.yml", tls("rotated", "rotated", ""));
        web.reload(WebConfig.load(dir.resolve("web.yml")));
        assertEquals(serialOf("rotated"), servedSerial(app));
    }

    @Test
    void a_broken_reload_keeps_the_running_certificate() throws Exception {
        Javalin app = serve(tls("server", "server", ""));
        pki.write("web.yml", tls("rotated", "server", ""));
        ConfigException e = assertThrows(ConfigException.class, () -> web.reload(WebConfig.load(dir.resolve("web.yml"))));
        assertTrue(e.getMessage().contains("does not belong to the certificate"), e.getMessage());
        assertEquals(serialOf("server"), servedSerial(app));
    }

    @Test
    void reload_changes_the_client_policy_of_new_connections() throws Exception {
        Javalin app = serve(tls("server", "server", ""));
        answers(pki.httpClient("ca", null), app);
        pki.write("web.yml", tls("server", "server", "  client_auth_type: RequireAndVerifyClientCert\n"
                + "  client_ca_file: ca.crt\n"));
        web.reload(WebConfig.load(dir.resolve("web.yml")));
        refuses(pki.httpClient("ca", null), app);
        answers(pki.httpClient("ca", "client.p12"), app);
    }

    @Test
    void tls_cannot_be_turned_on_or_off_by_a_reload() throws Exception {
        serve(tls("server", "server", ""));
        ConfigException off = assertThrows(ConfigException.class, () -> web.reload(WebConfig.NONE));
        assertEquals("tls_server_config: TLS cannot be turned off by a reload; restart the server", off.getMessage());
        WebSecurity plain = new WebSecurity(WebConfig.NONE, Set.of());
        pki.write("web.yml", tls("server", "server", ""));
        ConfigException on = assertThrows(ConfigException.class,
                () -> plain.reload(WebConfig.load(dir.resolve("web.yml"))));
        assertEquals("tls_server_config: TLS cannot be turned on by a reload; restart the server", on.getMessage());
    }

    @Test
    void every_listen_address_gets_its_own_tls_connector() throws Exception {
        Javalin app = serve(tls("server", "server", ""), ListenAddress.parse("127.0.0.1:0"),
                ListenAddress.parse("localhost:0"));
        List<Integer> ports = new ArrayList<>();
        for (Connector connector : app.jettyServer().server().getConnectors()) {
            ports.add(((ServerConnector) connector).getLocalPort());
        }
        assertEquals(2, ports.size());
        assertNotEquals(ports.get(0), ports.get(1));
        for (int port : ports) {
            HttpResponse<String> response = TestPki.get(pki.httpClient("ca", null), "https://localhost:" + port + "/");
            assertEquals("ok", response.body());
        }
    }

    @Test
    void without_tls_every_listen_address_gets_plain_http() throws Exception {
        Javalin app = serve("", ListenAddress.parse("127.0.0.1:0"), ListenAddress.parse("[::1]:0"));
        Connector[] connectors = app.jettyServer().server().getConnectors();
        assertEquals(2, connectors.length);
        HttpResponse<String> response = TestPki.get(HttpClient.newHttpClient(),
                "http://127.0.0.1:" + ((ServerConnector) connectors[0]).getLocalPort() + "/");
        assertEquals("ok", response.body());
        assertEquals("::1", ((ServerConnector) connectors[1]).getHost());
    }

    @Test
    void listen_addresses_are_read_as_the_exporters_write_them() {
        assertEquals(new ListenAddress("127.0.0.1", 9100), ListenAddress.parse("127.0.0.1:9100"));
        assertEquals(new ListenAddress("::1", 9100), ListenAddress.parse("[::1]:9100"));
        assertEquals(new ListenAddress(null, 9100), ListenAddress.parse(":9100"));
        assertEquals(":9100", ListenAddress.parse(":9100").toString());
        assertEquals("[::1]:9100", ListenAddress.parse("[::1]:9100").toString());
        for (String bad : List.of("9100", "::1:9100", "host:99999", "host:x", "host:")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(bad));
            assertTrue(e.getMessage().startsWith("listen address '" + bad + "'"), e.getMessage());
        }
    }
}
