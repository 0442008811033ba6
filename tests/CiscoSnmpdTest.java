import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Cisco exporter against a real net-snmp agent on this (Linux) host: no Cisco MIBs, IF-MIB of the kernel. */
class CiscoSnmpdTest {
    static final Path NET = Path.of("/sys/class/net");
    static final Map<String, String> V3_ENV = Map.of("CISCO_AUTH_PASSWORD", Snmpd.AUTH_PASSWORD,
            "CISCO_PRIV_PASSWORD", Snmpd.PRIV_PASSWORD);

    @TempDir
    static Path dir;
    static Snmpd snmpd;
    static long loRxBeforeAgent;

    @BeforeAll
    static void start() throws Exception {
        loRxBeforeAgent = Long.parseLong(Files.readString(NET.resolve("lo/statistics/rx_bytes")).strip());
        snmpd = Snmpd.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (snmpd != null) {
            snmpd.close();
        }
    }

    static Commands.Result v3(Map<String, String> env, String username) {
        return CiscoSnmpsimTest.cisco(env, "--target", snmpd.address(), "--snmp-version", "3", "--username", username,
                "--auth-protocol", "SHA", "--priv-protocol", "AES");
    }

    static Set<String> kernelInterfaces() throws IOException {
        try (Stream<Path> names = Files.list(NET)) {
            return names.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** The {@code interface} labels of cisco_eth_state, with their hwaddr. */
    static Set<String> ethStateSeries(String exposition) {
        return exposition.lines().filter(l -> l.startsWith("cisco_eth_state{")).map(l -> l.substring(0, l.lastIndexOf(' ')))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void linux_host_gives_its_interfaces_over_v2c_as_the_kernel_sees_them() throws Exception {
        Commands.Result result = CiscoSnmpsimTest.cisco(Map.of("CISCO_COMMUNITY", Snmpd.COMMUNITY), "--target", snmpd.address());
        long loRxAfter = Long.parseLong(Files.readString(NET.resolve("lo/statistics/rx_bytes")).strip());
        assertEquals(0, result.exit(), result.describe());
        String out = result.out();
        CiscoExposition metrics = CiscoExposition.parse(out);
        String instance = snmpd.address();
        assertEquals(1, metrics.value("cisco_up", "instance", instance));
        for (String name : kernelInterfaces()) {
            String mac = Files.readString(NET.resolve(name).resolve("address")).strip();
            String hwaddr = mac.matches("(00:){5}00") || mac.isEmpty() ? "unknown" : mac.replace(":", "")
                    .replaceAll("(....)(....)(....)", "$1.$2.$3");
            String[] labels = {"instance", instance, "interface", name, "hwaddr", hwaddr, "description", "unknown"};
            String operstate = Files.readString(NET.resolve(name).resolve("operstate")).strip();
            double state = metrics.value("cisco_eth_state", labels);
            if (operstate.equals("up")) {
                assertEquals(1, state, name);
            } else if (operstate.equals("down")) {
                assertEquals(0, state, name);
            }
            assertTrue(metrics.value("cisco_eth_bw", labels) >= 0, name);
        }
        String[] lo = {"instance", instance, "interface", "lo", "description", "unknown"};
        assertEquals(1, metrics.value("cisco_eth_state", "instance", instance, "interface", "lo", "hwaddr", "unknown",
                "description", "unknown"));
        double loIn = metrics.value("cisco_eth_inbytes_total", lo);
        assertTrue(loIn >= loRxBeforeAgent && loIn <= loRxAfter,
                "lo ifHCInOctets " + loIn + " is not the kernel's, between " + loRxBeforeAgent + " and " + loRxAfter);
        // net-snmp's first look at packet counters may say 0 (it samples them), so only: they are there
        assertTrue(metrics.value("cisco_eth_inpkts_total", lo) >= 0);
        assertTrue(metrics.value("cisco_processes_total", "instance", instance) > 0);
        for (String command : List.of("interfaces", "counters", "bgp", "system")) {
            assertEquals(1, metrics.value("cisco_command_success", "instance", instance, "command", command), command);
        }
        for (String cisco : List.of("cisco_eth_mode{", "cisco_cpu_busy_percent{", "cisco_memory_usage_used{",
                "cisco_bgp_saf_neighbor_state{", "cisco_svi_state{")) {
            assertFalse(out.contains(cisco), "no Cisco MIBs on a Linux host, yet " + cisco + "\n" + out);
        }
        assertEquals(List.of(), result.errBesidesBuilds(),
                "groups without data are not errors:\n" + result.err());
        Promtool.assertParses(out);
    }

    @Test
    void snmpv3_user_with_sha_and_aes_reads_the_same_interfaces() {
        Commands.Result v2c = CiscoSnmpsimTest.cisco(Map.of(), "--target", snmpd.address(), "--community", Snmpd.COMMUNITY);
        Commands.Result v3 = v3(V3_ENV, Snmpd.USER);
        assertEquals(0, v2c.exit(), v2c.describe());
        assertEquals(0, v3.exit(), v3.describe());
        assertFalse(ethStateSeries(v3.out()).isEmpty(), v3.describe());
        assertEquals(ethStateSeries(v2c.out()), ethStateSeries(v3.out()));
        assertEquals(1, CiscoExposition.parse(v3.out()).value("cisco_up", "instance", snmpd.address()));
        Promtool.assertParses(v3.out());
    }

    @Test
    void snmpv3_sha256_without_privacy_and_md5_with_des_work_too() {
        Commands.Result sha256 = CiscoSnmpsimTest.cisco(Map.of("CISCO_AUTH_PASSWORD", Snmpd.AUTH_PASSWORD), "--target",
                snmpd.address(), "--snmp-version", "3", "--username", Snmpd.SHA256_USER, "--auth-protocol", "SHA-256");
        Commands.Result md5 = CiscoSnmpsimTest.cisco(V3_ENV, "--target", snmpd.address(), "--snmp-version", "3",
                "--username", Snmpd.MD5_DES_USER, "--auth-protocol", "MD5", "--priv-protocol", "DES");
        for (Commands.Result result : List.of(sha256, md5)) {
            assertEquals(0, result.exit(), result.describe());
            assertEquals(1, CiscoExposition.parse(result.out()).value("cisco_up", "instance", snmpd.address()));
            assertTrue(result.out().contains("interface=\"lo\""), result.describe());
        }
    }

    @Test
    void snmpv3_wrong_password_fails_at_once_and_says_so() {
        long start = System.nanoTime();
        Commands.Result result = v3(Map.of("CISCO_AUTH_PASSWORD", "not-the-password", "CISCO_PRIV_PASSWORD",
                Snmpd.PRIV_PASSWORD), Snmpd.USER);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(1, result.exit(), result.describe());
        assertTrue(result.err().contains("cisco: error: IOException: no target could be read: " + snmpd.address()
                + " (SNMPv3 user 'metricsv3': authentication failed: wrong digest (check the auth password and protocol))"),
                result.describe());
        assertFalse(result.err().contains("not-the-password"), result.describe());
        // the agent's report ends it: no waiting out the default 5 s timeout
        assertTrue(seconds < 5, "took " + seconds + " s");
    }

    @Test
    void snmpv3_unknown_user_fails_and_says_so() {
        Commands.Result result = v3(V3_ENV, "nobody-here");
        assertEquals(1, result.exit(), result.describe());
        assertTrue(result.err().contains("SNMPv3 user 'nobody-here': unknown user name"), result.describe());
    }

    @Test
    void snmpv3_password_never_comes_from_the_command_line() {
        Commands.Result result = CiscoSnmpsimTest.cisco(Map.of(), "--target", snmpd.address(), "--snmp-version", "3",
                "--username", Snmpd.USER, "--auth-protocol", "SHA", "--auth-password", Snmpd.AUTH_PASSWORD);
        assertEquals(2, result.exit(), result.describe());
        assertTrue(result.err().contains("Unknown options: '--auth-password'"), result.describe());
    }

    static final SnmpSettings V2C = new SnmpSettings(SnmpSettings.Version.V2C, Snmpd.COMMUNITY, null, Duration.ofSeconds(2), 1);
    static final SnmpSettings V3 = new SnmpSettings(SnmpSettings.Version.V3, null, new SnmpSettings.V3(Snmpd.USER,
            SnmpSettings.AuthProtocol.SHA, Snmpd.AUTH_PASSWORD, SnmpSettings.PrivProtocol.AES, Snmpd.PRIV_PASSWORD),
            Duration.ofSeconds(2), 1);

    /** Polls the agent through {@code session} and says whether it answered. */
    static boolean pollAnswers(Snmp4jSession session) throws Exception {
        return TargetPoller.poll(List.of(TargetAddress.parse(snmpd.address())), session::client, 25).get(0).up();
    }

    /** Settings of {@code SnmpEngine.KEPT} + 1 other SNMPv3 credentials (opening an engine needs no agent). */
    static List<SnmpSettings> otherCredentials() {
        List<SnmpSettings> others = new java.util.ArrayList<>();
        for (int i = 0; i <= SnmpEngine.KEPT; i++) {
            others.add(new SnmpSettings(SnmpSettings.Version.V3, null, new SnmpSettings.V3("other" + i,
                    SnmpSettings.AuthProtocol.SHA, "password-" + i, null, null), Duration.ofSeconds(2), 0));
        }
        return others;
    }

    /** Runs in one JVM (a warm worker) share snmp4j's engine while their credentials are the same. */
    @Test
    void runs_in_one_jvm_share_an_engine_per_credentials_the_least_recently_used_closed_beyond_four() throws Exception {
        SnmpEngine v2c;
        try (Snmp4jSession session = Snmp4jSession.open(V2C)) {
            assertTrue(pollAnswers(session));
            v2c = session.engine();
        }
        assertTrue(v2c.isOpen(), "kept for the next run");
        SnmpSettings otherTimeout = new SnmpSettings(SnmpSettings.Version.V2C, Snmpd.COMMUNITY, null, Duration.ofSeconds(3), 0);
        try (Snmp4jSession session = Snmp4jSession.open(otherTimeout)) {
            assertTrue(pollAnswers(session));
            assertSame(v2c, session.engine(), "timeouts and communities are per request, not the engine's");
        }
        SnmpEngine v3;
        try (Snmp4jSession session = Snmp4jSession.open(V3)) {
            assertTrue(pollAnswers(session));
            v3 = session.engine();
            assertNotSame(v2c, v3);
            assertTrue(v2c.isOpen(), "other credentials have an engine of their own; the v2c one is still kept");
        }
        try (Snmp4jSession session = Snmp4jSession.open(V3)) {
            assertTrue(pollAnswers(session), "the kept USM, its keys and the agent's engine ID serve a second run");
            assertSame(v3, session.engine());
        }
        try (Snmp4jSession session = Snmp4jSession.open(V2C)) {
            assertSame(v2c, session.engine(), "v2c and v3 runs alternating keep both engines");
        }
        for (SnmpSettings other : otherCredentials()) {
            try (Snmp4jSession session = Snmp4jSession.open(other)) {
                assertTrue(session.engine().isOpen());
            }
        }
        assertFalse(v3.isOpen(), "least recently used, beyond " + SnmpEngine.KEPT + ": closed");
        assertFalse(v2c.isOpen());
        assertEquals(SnmpEngine.KEPT, SnmpEngine.kept());
    }

    /** Runs at once in one JVM: an engine retired while a run uses it stays open until that run ends. */
    @Test
    void an_engine_in_use_outlives_its_retirement_until_its_run_ends() throws Exception {
        try (Snmp4jSession first = Snmp4jSession.open(V2C)) {
            SnmpEngine engine = first.engine();
            List<Snmp4jSession> others = new java.util.ArrayList<>();
            for (SnmpSettings other : otherCredentials()) {
                others.add(Snmp4jSession.open(other)); // more engines than are kept: the v2c one is retired
            }
            assertTrue(engine.isOpen());
            assertTrue(pollAnswers(first));
            for (Snmp4jSession other : others) {
                other.close();
            }
            first.close();
            assertFalse(engine.isOpen());
        }
    }

    /** A run that ends with requests in flight leaves nothing behind in the kept engine. */
    @Test
    void closing_a_session_cancels_its_pending_requests() throws Exception {
        int silent = SnmpAgents.freeUdpPort(); // nothing answers there
        SnmpSettings patient = new SnmpSettings(SnmpSettings.Version.V2C, Snmpd.COMMUNITY, null, Duration.ofSeconds(30), 0);
        List<String> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();
        SnmpEngine engine;
        try (Snmp4jSession session = Snmp4jSession.open(patient)) {
            engine = session.engine();
            int before = engine.snmp.getPendingAsyncRequestCount();
            session.client(TargetAddress.parse("127.0.0.1:" + silent)).send(
                    new SnmpWalker.Request(List.of(Mibs.IF_NUMBER), 1, 0), (answer, error) -> delivered.add(answer + " " + error));
            assertEquals(before + 1, engine.snmp.getPendingAsyncRequestCount());
        }
        assertTrue(engine.isOpen());
        assertEquals(0, engine.snmp.getPendingAsyncRequestCount());
        assertEquals(List.of(), delivered, "nothing reaches a run that has ended");
    }
}
