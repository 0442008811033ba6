import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real server with its configuration files: checked at start and by --config.check, reloaded by SIGHUP. */
class ServerConfigurationTest {

    @Test
    void bad_files_stop_the_server_at_start_and_config_check_says_what_is_wrong(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yml"), "exporters:\n  cisco:\n    modulez: {}\n");
        Path good = Files.writeString(dir.resolve("good.yml"), "exporters:\n  cisco:\n    allowed_targets: [sw1]\n");
        Path web = Files.writeString(dir.resolve("web.yml"), "basic_auth_users:\n  alice: "
                + BasicAuthTest.htpasswd(5, "alice", "alice-pw") + "\n");
        Commands.Result refused = Commands.jbang(Project.root(), Map.of("PORT", "0", "HOST", "127.0.0.1"), "server",
                "--config.file=" + bad);
        assertEquals(2, refused.exit(), refused.describe());
        assertTrue(refused.err().contains(bad + ": exporters.cisco.modulez: unknown key; known keys here:"), refused.describe());

        Commands.Result ok = Commands.jbang(Project.root(), Map.of(), "server", "--config.check",
                "--config.file=" + good, "--web.config.file=" + web);
        assertEquals(0, ok.exit(), ok.describe());
        assertTrue(ok.out().contains(good + ": ok: cisco"), ok.describe());
        assertTrue(ok.out().contains(web + ": ok: plain HTTP; 1 user(s)"), ok.describe());
        Commands.Result notOk = Commands.jbang(Project.root(), Map.of("CONFIG_FILE", bad.toString()), "server",
                "--config.check");
        assertEquals(1, notOk.exit(), notOk.describe());
        assertTrue(notOk.err().contains("exporters.cisco.modulez: unknown key"), notOk.describe());
        Commands.Result badAddress = Commands.jbang(Project.root(), Map.of(), "server", "--web.listen-address=nowhere");
        assertEquals(2, badAddress.exit(), badAddress.describe());
        assertTrue(badAddress.err().contains("listen address 'nowhere' is not HOST:PORT"), badAddress.describe());
    }

    /**
     * The credentials go nowhere the operator did not list: before anything is sent, a target off the list is
     * refused (a UDP listener standing in for a stranger's host receives nothing); after SIGHUP with the
     * listener's address listed, the same request does reach it, community and all, so the test can fail.
     */
    @Test
    void sighup_reloads_and_a_target_off_the_list_never_receives_the_community(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.yml");
        Files.writeString(config, "exporters:\n  cisco:\n    allowed_targets: [10.0.0.0/8]\n    modules:\n      m:\n"
                + "        args: [\"--retries=0\"]\n        env: {CISCO_COMMUNITY: {file: community.secret}}\n");
        Files.writeString(dir.resolve("community.secret"), "s3cret-community");
        try (DatagramSocket stranger = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                ServerProcess server = ServerProcess.start(dir, Map.of("TIMEOUT", "20"), "--config.file=" + config)) {
            server.awaitBuilt();
            stranger.setSoTimeout(1500);
            String target = "127.0.0.1:" + stranger.getLocalPort();
            HttpResponse<String> refused = server.get("/metrics/cisco?module=m&target=" + target + "&timeout=1");
            assertEquals(400, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("target '" + target + "' is not allowed"), refused.body());
            assertEquals("", receive(stranger), "the refused target received a packet");

            Files.writeString(config, Files.readString(config).replace("[10.0.0.0/8]", "[10.0.0.0/8, 127.0.0.1]"));
            Commands.run(List.of("kill", "-HUP", Long.toString(serverJvm(server))), dir, Map.of(), java.time.Duration.ofSeconds(5));
            long until = System.nanoTime() + 10_000_000_000L;
            while (!server.log().contains("server: configuration reloaded") && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertTrue(server.log().contains("server: configuration reloaded"), server.log());
            server.get("/metrics/cisco?module=m&target=" + target + "&timeout=1"); // no SNMP agent answers: 500
            assertTrue(receive(stranger).contains("s3cret-community"), "after the reload the listed target is read");

            for (ProcessHandle process : ProcessHandle.allProcesses().toList()) {
                assertFalse(ServerProcess.commandLine(process).contains("s3cret-community"),
                        "the secret is on a command line: " + ServerProcess.commandLine(process));
            }
            assertFalse(server.log().contains("s3cret-community"), server.log());
        }
    }

    /** The server's JVM: the launcher execs java, so it is the process itself, or its only java child. */
    static long serverJvm(ServerProcess server) {
        if (ServerProcess.commandLine(server.handle()).contains("java")) {
            return server.pid();
        }
        return server.handle().children().filter(p -> ServerProcess.commandLine(p).contains("java")).findFirst()
                .orElseThrow().pid();
    }

    private static String receive(DatagramSocket socket) throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        try {
            socket.receive(packet);
            return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.ISO_8859_1);
        } catch (SocketTimeoutException nothing) {
            return "";
        }
    }
}
