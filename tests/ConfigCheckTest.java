import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --config.check}: both files loaded as a start would load them, certificates included. */
class ConfigCheckTest {
    @TempDir
    Path dir;

    @Test
    void good_files_pass_and_say_what_they_set_up() {
        TestPki pki = new TestPki(dir).ca("ca").server("server", "ca", "ec");
        pki.write("web.yml", "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                + "basic_auth_users:\n  alice: $2y$04$qHzrOGaX9ZveKyZ0GfOq8uR2lC/Jn7XPKd3KTGgmmZKA75t0U4BeK\n");
        pki.write("config.yml", "exporters:\n  cisco:\n    allow_query_options: [target]\n    modules:\n      dc1: {}\n");
        ConfigCheck.Report report = ConfigCheck.check(dir.resolve("web.yml"), dir.resolve("config.yml"), Map.of());
        assertTrue(report.ok(), report.lines().toString());
        assertEquals(List.of(dir.resolve("web.yml") + ": ok: TLS TLS12..TLS13, client certificates: NoClientCert; "
                + "1 user(s)", dir.resolve("config.yml") + ": ok: cisco (1 module(s), 0 target(s), query options "
                + "[target])"), report.lines());
    }

    @Test
    void each_broken_file_is_a_problem_naming_the_file_and_the_key() {
        TestPki pki = new TestPki(dir).ca("ca").server("server", "ca", "rsa").server("other", "ca", "rsa");
        pki.write("web.yml", "tls_server_config:\n  cert_file: server.crt\n  key_file: other.key\n");
        pki.write("config.yml", "exporters:\n  cisco:\n    modules:\n      dc1:\n        env: {X: {env: MISSING}}\n");
        ConfigCheck.Report report = ConfigCheck.check(dir.resolve("web.yml"), dir.resolve("config.yml"), Map.of());
        assertFalse(report.ok());
        assertEquals(List.of(dir.resolve("web.yml") + ": tls_server_config.key_file: the private key does not belong to "
                + "the certificate of tls_server_config.cert_file=" + dir.resolve("server.crt"),
                dir.resolve("config.yml") + ": exporters.cisco.modules.dc1.env.X.env: the server's environment has no "
                + "MISSING"), report.problems());
    }

    @Test
    void no_files_is_nothing_to_check() {
        ConfigCheck.Report report = ConfigCheck.check(null, null, Map.of());
        assertTrue(report.ok());
        assertTrue(report.lines().isEmpty());
    }
}
