import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web configuration file, the toolkit's way: a table of good files and a table of bad ones, each bad one with
 * the exact error it must give. Certificates and keys are made by openssl.
 */
class WebConfigTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static final String TLS = "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n";
    static final String AUTH_TYPES = "one of NoClientCert, RequestClientCert, RequireAnyClientCert, "
            + "VerifyClientCertIfGiven, RequireAndVerifyClientCert";

    @BeforeAll
    static void certificates() throws Exception {
        pki = new TestPki(dir).ca("ca").server("server", "ca", "rsa").server("other", "ca", "ec");
        pki.write("junk.key", "not a key\n");
        pki.write("empty.pem", "");
        Files.createDirectories(dir.resolve("sub"));
    }

    record Bad(String name, String yaml, String error) {
    }

    /** The problem a file has, as a start or {@code --config.check} finds it, without the file name in front. */
    static String problem(String yaml) {
        Path file = dir.resolve("web.yml");
        pki.write("web.yml", yaml);
        ConfigException e = assertThrows(ConfigException.class, () -> {
            WebConfig config = WebConfig.load(file);
            if (config.tls().isPresent()) {
                TlsSetup.check(config.tls().get());
            }
        }, yaml);
        return e.getMessage().replace(file + ": ", "");
    }

    static WebConfig good(String yaml) throws Exception {
        pki.write("web.yml", yaml);
        WebConfig config = WebConfig.load(dir.resolve("web.yml"));
        if (config.tls().isPresent()) {
            TlsSetup.check(config.tls().get());
        }
        return config;
    }

    @TestFactory
    Stream<DynamicTest> each_bad_file_gives_its_error() {
        return Stream.of(
                new Bad("unknown client_auth_type", TLS + "  client_auth_type: Maybe\n",
                        "tls_server_config.client_auth_type: unknown value 'Maybe'; " + AUTH_TYPES),
                new Bad("unknown top-level key", "tls_config: {}\n",
                        "tls_config: unknown key; known keys: tls_server_config, http_server_config, "
                                + "basic_auth_users, rate_limit"),
                new Bad("unknown key in tls_server_config", TLS + "  ciphers: [x]\n",
                        "tls_server_config.ciphers: unknown key; known keys here: cert, key, client_ca, cert_file, "
                                + "key_file, client_auth_type, client_ca_file, cipher_suites, curve_preferences, "
                                + "min_version, max_version, prefer_server_cipher_suites, client_allowed_sans"),
                new Bad("unknown key in http_server_config", "http_server_config:\n  http3: true\n",
                        "http_server_config.http3: unknown key; known keys here: http2, headers"),
                new Bad("no certificate", "tls_server_config:\n  key_file: server.key\n",
                        "tls_server_config: missing one of cert or cert_file"),
                new Bad("no key", "tls_server_config:\n  cert_file: server.crt\n",
                        "tls_server_config: missing one of key or key_file"),
                new Bad("empty cert_file", "tls_server_config:\n  cert_file: ''\n  key_file: server.key\n",
                        "tls_server_config.cert_file: must not be empty"),
                new Bad("cert and cert_file", TLS + "  cert: x\n",
                        "tls_server_config.cert: give cert or cert_file, not both"),
                new Bad("client CA without a policy", TLS + "  client_ca_file: ca.crt\n",
                        "tls_server_config.client_ca_file: a client CA is set but client_auth_type is NoClientCert; "
                                + "set client_auth_type (RequireAndVerifyClientCert to check client certificates)"),
                new Bad("verification without a client CA", TLS + "  client_auth_type: RequireAndVerifyClientCert\n",
                        "tls_server_config.client_auth_type: RequireAndVerifyClientCert needs client_ca_file or "
                                + "client_ca (the CA that signs the client certificates)"),
                new Bad("SANs without verification", TLS + "  client_auth_type: RequireAnyClientCert\n"
                        + "  client_allowed_sans: [scraper]\n",
                        "tls_server_config.client_allowed_sans: needs client_auth_type RequireAndVerifyClientCert "
                                + "(a name in an unverified certificate proves nothing)"),
                new Bad("invented cipher suite", TLS + "  cipher_suites:\n  - TLS_AES_128_GCM_SHA256\n"
                        + "  - TLS_INVENTED_WITH_ROT13\n",
                        "tls_server_config.cipher_suites[1]: unknown cipher suite 'TLS_INVENTED_WITH_ROT13'; one of "
                                + String.join(", ", WebConfig.GO_CIPHER_SUITES)),
                new Bad("Java's name for a suite Go lacks", TLS + "  cipher_suites: [TLS_DHE_RSA_WITH_AES_128_GCM_SHA256]\n",
                        "tls_server_config.cipher_suites[0]: unknown cipher suite 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256';"
                                + " one of " + String.join(", ", WebConfig.GO_CIPHER_SUITES)),
                new Bad("invented curve", TLS + "  curve_preferences: [CurveP999]\n",
                        "tls_server_config.curve_preferences[0]: unknown curve 'CurveP999'; one of CurveP256, "
                                + "CurveP384, CurveP521, X25519"),
                new Bad("unknown TLS version", TLS + "  min_version: TLS9\n",
                        "tls_server_config.min_version: unknown value 'TLS9'; one of TLS10, TLS11, TLS12, TLS13"),
                new Bad("min above max", TLS + "  min_version: TLS13\n  max_version: TLS12\n",
                        "tls_server_config.min_version: TLS13 is above max_version TLS12"),
                new Bad("a TLS setting without a certificate", "tls_server_config:\n  min_version: TLS13\n",
                        "tls_server_config.min_version: set without a certificate; add cert_file and key_file"),
                new Bad("a header the toolkit does not allow", "http_server_config:\n  headers:\n    X-Powered-By: me\n",
                        "http_server_config.headers.X-Powered-By: this header cannot be set; one of "
                                + "Content-Security-Policy, Strict-Transport-Security, X-Content-Type-Options, "
                                + "X-Frame-Options, X-XSS-Protection"),
                new Bad("a bad X-Frame-Options", "http_server_config:\n  headers:\n    X-Frame-Options: allow\n",
                        "http_server_config.headers.X-Frame-Options: unknown value 'allow'; one of deny, sameorigin"),
                new Bad("a bad X-Content-Type-Options", "http_server_config:\n  headers:\n    X-Content-Type-Options: sniff\n",
                        "http_server_config.headers.X-Content-Type-Options: unknown value 'sniff'; one of nosniff"),
                new Bad("a password where its hash belongs", "basic_auth_users:\n  john: doe\n",
                        "basic_auth_users.john: not a bcrypt hash ($2y$, $2a$ or $2b$, as htpasswd -nBC 10 USER makes)"),
                new Bad("an MD5 htpasswd hash", "basic_auth_users:\n  john: $apr1$x7Y1eKfW$0dWmg5FDvbE6Qd9B0t2I81\n",
                        "basic_auth_users.john: not a bcrypt hash ($2y$, $2a$ or $2b$, as htpasswd -nBC 10 USER makes)"),
                new Bad("a list of users", "basic_auth_users: [john]\n",
                        "basic_auth_users: expected a mapping, got a list"),
                new Bad("http2 not a boolean", "http_server_config:\n  http2: yes please\n",
                        "http_server_config.http2: expected true or false, got a string"),
                new Bad("a number for a file name", "tls_server_config:\n  cert_file: 123\n  key_file: server.key\n",
                        "tls_server_config.cert_file: expected a string, got a number (quote it)"),
                new Bad("rate_limit", "rate_limit:\n  interval: 1s\n  burst: 5\n",
                        "rate_limit: not supported by this server (put a proxy in front to limit rates)"),
                new Bad("a duplicate key", "basic_auth_users: {}\nbasic_auth_users: {}\n",
                        "not valid YAML: while constructing a mapping in 'string', line 1, column 1: "
                                + "basic_auth_users: {} ^ found duplicate key basic_auth_users in 'string', line 2, "
                                + "column 1: basic_auth_users: {} ^"),
                new Bad("a missing certificate file", "tls_server_config:\n  cert_file: nope.crt\n  key_file: server.key\n",
                        "tls_server_config.cert_file: cannot read " + dir.resolve("nope.crt") + ": no such file"),
                new Bad("a key that is not a key", "tls_server_config:\n  cert_file: server.crt\n  key_file: junk.key\n",
                        "tls_server_config.key_file: " + dir.resolve("junk.key") + ": no PEM PRIVATE KEY block found"),
                new Bad("a key where the certificate belongs", "tls_server_config:\n  cert_file: server.key\n"
                        + "  key_file: server.key\n",
                        "tls_server_config.cert_file: " + dir.resolve("server.key") + ": no PEM CERTIFICATE block found"),
                new Bad("another certificate's key", "tls_server_config:\n  cert_file: server.crt\n  key_file: other.key\n",
                        "tls_server_config.key_file: the private key does not belong to the certificate of "
                                + "tls_server_config.cert_file=" + dir.resolve("server.crt")),
                new Bad("a client CA file without certificates", TLS + "  client_auth_type: RequireAndVerifyClientCert\n"
                        + "  client_ca_file: empty.pem\n",
                        "tls_server_config.client_ca_file: " + dir.resolve("empty.pem")
                                + ": no PEM CERTIFICATE block found"),
                new Bad("an encrypted key", "tls_server_config:\n  cert_file: server.crt\n  key: |\n"
                        + "    -----BEGIN ENCRYPTED PRIVATE KEY-----\n    MIIB\n    -----END ENCRYPTED PRIVATE KEY-----\n",
                        "tls_server_config.key: the private key is encrypted; give it unencrypted "
                                + "(openssl pkey -in KEY -out KEY.plain)")
        ).map(bad -> DynamicTest.dynamicTest(bad.name(), () -> assertEquals(bad.error(), problem(bad.yaml()))));
    }

    @Test
    void an_empty_file_means_plain_http_without_authentication() throws Exception {
        WebConfig config = good("");
        assertTrue(config.tls().isEmpty());
        assertTrue(config.users().isEmpty());
        assertTrue(config.headers().isEmpty());
        assertEquals(WebConfig.NONE, good("# nothing\n"));
    }

    @Test
    void relative_file_names_are_relative_to_the_files_directory() throws Exception {
        pki.write("sub/web.yml", "tls_server_config:\n  cert_file: ../server.crt\n  key_file: " + dir.resolve("server.key")
                + "\n");
        WebConfig config = WebConfig.load(dir.resolve("sub/web.yml"));
        assertEquals(dir.resolve("server.crt"), config.tls().get().cert().file().get());
        assertEquals(dir.resolve("server.key"), config.tls().get().key().file().get());
        TlsSetup.check(config.tls().get());
    }

    @Test
    void tls_defaults_are_the_toolkits() throws Exception {
        WebConfig.Tls tls = good(TLS).tls().get();
        assertEquals(WebConfig.ClientAuth.NoClientCert, tls.clientAuth());
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), tls.protocols());
        assertTrue(tls.preferServerCipherSuites());
        assertTrue(tls.cipherSuites().isEmpty());
        assertTrue(good(TLS).http2());
    }

    @Test
    void every_toolkit_setting_is_read() throws Exception {
        WebConfig config = good(TLS + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n"
                + "  min_version: TLS13\n  max_version: TLS13\n  prefer_server_cipher_suites: false\n"
                + "  client_allowed_sans: [scraper.example]\n"
                + "  cipher_suites:\n    - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n    - TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA\n"
                + "http_server_config:\n  http2: false\n  headers:\n    X-Frame-Options: deny\n"
                + "    Strict-Transport-Security: max-age=31536000; includeSubDomains\n    X-Content-Type-Options: nosniff\n"
                + "    X-XSS-Protection: 1\n    Content-Security-Policy: \"default-src 'self'\"\n"
                + "basic_auth_users:\n  alice: $2y$04$qHzrOGaX9ZveKyZ0GfOq8uR2lC/Jn7XPKd3KTGgmmZKA75t0U4BeK\n");
        WebConfig.Tls tls = config.tls().get();
        assertEquals(WebConfig.ClientAuth.RequireAndVerifyClientCert, tls.clientAuth());
        assertEquals(dir.resolve("ca.crt"), tls.clientCa().get().file().get());
        assertEquals(List.of("TLSv1.3"), tls.protocols());
        assertFalse(tls.preferServerCipherSuites());
        assertEquals(List.of("scraper.example"), tls.clientAllowedSans());
        assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
                tls.cipherSuites());
        assertFalse(config.http2());
        assertEquals(Map.of("X-Frame-Options", "deny", "Strict-Transport-Security", "max-age=31536000; includeSubDomains",
                "X-Content-Type-Options", "nosniff", "X-XSS-Protection", "1", "Content-Security-Policy", "default-src 'self'"),
                config.headers());
        assertEquals(List.of("alice"), List.copyOf(config.users().keySet()));
    }

    /** The toolkit's own testdata/web_config_noAuth_allCiphers.good.yml. */
    static final List<String> TOOLKIT_ALL_CIPHERS = List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA");

    @Test
    void the_toolkits_list_of_all_ciphers_is_accepted() throws Exception {
        WebConfig config = good(TLS + "  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.crt\n"
                + "  cipher_suites:\n" + TOOLKIT_ALL_CIPHERS.stream().map(s -> "  - " + s + "\n")
                        .reduce("", String::concat));
        assertEquals(TOOLKIT_ALL_CIPHERS, config.tls().get().cipherSuites());
    }

    @Test
    void a_go_suite_this_java_lacks_is_named() throws Exception {
        List<String> javas = List.of(WebConfig.javaSupportedCipherSuites());
        for (String suite : WebConfig.GO_CIPHER_SUITES) {
            String yaml = TLS + "  cipher_suites: [" + suite + "]\n";
            if (javas.contains(suite)) {
                assertEquals(List.of(suite), good(yaml).tls().get().cipherSuites());
            } else {
                assertEquals("tls_server_config.cipher_suites[0]: cipher suite '" + suite
                        + "' is not available in this Java", problem(yaml));
            }
        }
    }

    @Test
    void inline_certificate_and_key_are_read_like_files() throws Exception {
        String yaml = "tls_server_config:\n  cert: |\n" + indent(pki.read("server.crt")) + "  key: |\n"
                + indent(pki.read("server.key"));
        WebConfig config = good(yaml);
        assertTrue(config.tls().get().cert().file().isEmpty());
        assertFalse(config.toString().contains("PRIVATE KEY"), config.toString());
        assertTrue(config.toString().contains("<inline, hidden>"), config.toString());
    }

    @Test
    void the_old_name_RequireClientCert_means_RequireAnyClientCert() throws Exception {
        assertEquals(WebConfig.ClientAuth.RequireAnyClientCert,
                good(TLS + "  client_auth_type: RequireClientCert\n").tls().get().clientAuth());
    }

    @Test
    void blank_headers_are_unset() throws Exception {
        assertEquals(Map.of("X-Frame-Options", "sameorigin"),
                good("http_server_config:\n  headers:\n    X-Frame-Options: sameorigin\n    X-XSS-Protection: ''\n")
                        .headers());
    }

    @Test
    void curves_are_applied_on_java_20_and_refused_with_the_reason_before() throws Exception {
        String yaml = TLS + "  curve_preferences: [X25519, CurveP256]\n";
        if (Runtime.version().feature() >= 20) {
            assertEquals(List.of("x25519", "secp256r1"), good(yaml).tls().get().curves());
        } else {
            assertEquals("tls_server_config.curve_preferences: needs Java 20 or newer to be applied (this is Java "
                    + Runtime.version().feature() + ")", problem(yaml));
        }
    }

    @Test
    void a_file_that_cannot_be_read_is_named() {
        Path missing = dir.resolve("missing.yml");
        ConfigException e = assertThrows(ConfigException.class, () -> WebConfig.load(missing));
        assertEquals(missing + ": cannot read: no such file", e.getMessage());
    }

    @Test
    void password_hashes_never_appear_in_toString() throws Exception {
        WebConfig config = good("basic_auth_users:\n  alice: $2y$04$qHzrOGaX9ZveKyZ0GfOq8uR2lC/Jn7XPKd3KTGgmmZKA75t0U4BeK\n");
        assertFalse(config.toString().contains("$2y$"), config.toString());
        assertTrue(config.toString().contains("alice"), config.toString());
    }

    static String indent(String text) {
        return text.lines().map(line -> "    " + line + "\n").reduce("", String::concat);
    }
}
