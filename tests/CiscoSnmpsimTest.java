import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Cisco exporter through {@code ./jbang metrics} against a simulated Nexus switch (snmpsim), and dead ports. */
class CiscoSnmpsimTest {
    static Snmpsim nexus;
    static String out;

    @BeforeAll
    static void start() throws Exception {
        nexus = Snmpsim.start(Project.root().resolve("tests/fixtures/cisco/nexus.snmprec"));
        Commands.Result result = cisco(Map.of(), "--target", nexus.address(), "--community", nexus.community);
        assertEquals(0, result.exit(), result.describe());
        out = result.out();
    }

    @AfterAll
    static void stop() throws Exception {
        if (nexus != null) {
            nexus.close();
        }
    }

    static Commands.Result cisco(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("metrics", "--exporter", "cisco"));
        command.addAll(List.of(args));
        return Commands.jbang(Project.root(), env, command.toArray(String[]::new));
    }

    /** The series {@code name{instance="<nexus>",k="v",...}} as the exposition writes it. */
    static String series(String instance, String name, String... labels) {
        StringBuilder s = new StringBuilder(name).append("{instance=\"").append(instance).append('"');
        for (int i = 0; i < labels.length; i += 2) {
            s.append(',').append(labels[i]).append("=\"").append(labels[i + 1]).append('"');
        }
        return s.append('}').toString();
    }

    static double nexusValue(String name, String... labels) {
        return DispatcherTest.value(out, series(nexus.address(), name, labels));
    }

    static boolean has(String exposition, String series) {
        return exposition.lines().anyMatch(l -> l.startsWith(series + " "));
    }

    static String[] eth(String name, String hwaddr, String description) {
        return new String[] {"interface", name, "hwaddr", hwaddr, "description", description};
    }

    @Test
    void ethernet_ports_up_down_admin_down_and_trunk_or_access() {
        String[] e11 = eth("Ethernet1/1", "003a.9c5a.1b08", "spine01 Eth1/49");
        assertEquals(1, nexusValue("cisco_eth_state", e11));
        assertEquals(1, nexusValue("cisco_eth_admin_state", e11));
        assertEquals(10000, nexusValue("cisco_eth_bw", e11));
        assertEquals(1, nexusValue("cisco_eth_mode", e11));
        String[] e13 = eth("Ethernet1/3", "003a.9c5a.1b0a", "server01 eth0");
        assertEquals(25000, nexusValue("cisco_eth_bw", e13));
        assertEquals(0, nexusValue("cisco_eth_mode", e13));
        String[] e14 = eth("Ethernet1/4", "003a.9c5a.1b0b", "unknown"); // up, link down, no description
        assertEquals(0, nexusValue("cisco_eth_state", e14));
        assertEquals(1, nexusValue("cisco_eth_admin_state", e14));
        String[] e15 = eth("Ethernet1/5", "003a.9c5a.1b0c", "spare"); // shut
        assertEquals(0, nexusValue("cisco_eth_state", e15));
        assertEquals(0, nexusValue("cisco_eth_admin_state", e15));
        assertEquals(-1, nexusValue("cisco_eth_state", eth("Ethernet1/6", "003a.9c5a.1b0d", "sfp missing"))); // notPresent
        String[] po1 = eth("port-channel1", "003a.9c5a.1b10", "vpc peer-link");
        assertEquals(1, nexusValue("cisco_eth_mode", po1));
        assertEquals(20000, nexusValue("cisco_eth_bw", po1));
        String[] mgmt0 = eth("mgmt0", "003a.9c5a.1b00", "oob-mgmt");
        assertEquals(1, nexusValue("cisco_eth_state", mgmt0));
        assertFalse(has(out, series(nexus.address(), "cisco_eth_mode", mgmt0)), "mgmt0 has no VTP row:\n" + out);
        assertEquals(1, nexusValue("cisco_eth_state", eth("loopback0", "unknown", "router-id")));
        assertEquals(9, out.lines().filter(l -> l.startsWith("cisco_eth_state{")).count(), out);
        assertEquals(7, out.lines().filter(l -> l.startsWith("cisco_eth_mode{")).count(), out);
    }

    @Test
    void ethernet_counters_are_the_devices_64_bit_values() {
        String[] e11 = {"interface", "Ethernet1/1", "description", "spine01 Eth1/49"};
        assertEquals(9876543210123.0, nexusValue("cisco_eth_inbytes_total", e11));
        assertEquals(1234567890123.0, nexusValue("cisco_eth_outbytes_total", e11));
        assertEquals(7000000000.0 + 1234567 + 89012, nexusValue("cisco_eth_inpkts_total", e11));
        assertEquals(6500000000.0 + 7654321 + 21098, nexusValue("cisco_eth_outpkts_total", e11));
        assertEquals(17, nexusValue("cisco_eth_indiscard_total", e11));
        assertEquals(5, nexusValue("cisco_eth_outdiscard_total", e11));
        assertEquals(2, nexusValue("cisco_eth_inerr_total", e11));
        assertEquals(1, nexusValue("cisco_eth_outerr_total", e11));
        assertEquals(31000000000000.0, nexusValue("cisco_eth_inbytes_total", "interface", "port-channel1",
                "description", "vpc peer-link"));
        assertTrue(out.contains("# TYPE cisco_eth_inbytes_total counter"), out);
        assertTrue(out.contains("# HELP cisco_eth_inbytes_total Bytes received (IF-MIB ifHCInOctets 1.3.6.1.2.1.31.1.1.1.6)"), out);
    }

    @Test
    void svis_have_their_own_metrics_and_are_not_ethernet() {
        String[] vlan1 = {"interface", "Vlan1", "hwaddr", "003a.9c5a.1b07"};
        assertEquals(0, nexusValue("cisco_svi_state", vlan1));
        assertEquals(0, nexusValue("cisco_svi_admin_state", vlan1));
        String[] vlan10 = {"interface", "Vlan10", "hwaddr", "003a.9c5a.1b07"};
        assertEquals(1, nexusValue("cisco_svi_state", vlan10));
        assertEquals(1000, nexusValue("cisco_svi_bw", vlan10));
        assertEquals(0, nexusValue("cisco_svi_state", "interface", "Vlan20", "hwaddr", "003a.9c5a.1b07"));
        assertEquals(5500000000.0, nexusValue("cisco_svi_total_bytes_in_total", "interface", "Vlan10"));
        assertEquals(6600000000.0, nexusValue("cisco_svi_total_bytes_out_total", "interface", "Vlan10"));
        assertEquals(41002300, nexusValue("cisco_svi_total_pkts_in_total", "interface", "Vlan10"));
        assertEquals(52001007, nexusValue("cisco_svi_total_pkts_out_total", "interface", "Vlan10"));
        assertFalse(out.contains("interface=\"Vlan10\",hwaddr=\"003a.9c5a.1b07\",description"), out);
    }

    @Test
    void bgp_peers_in_several_states_with_the_originals_numbering() {
        String[][] peers = {{"10.0.0.1", "65000", "5"}, {"10.0.0.2", "65000", "5"}, {"10.0.0.9", "65010", "2"},
            {"10.0.0.13", "65011", "3"}, {"192.0.2.17", "64512", "0"}, {"198.51.100.5", "64513", "1"}};
        for (String[] peer : peers) {
            assertEquals(Double.parseDouble(peer[2]), nexusValue("cisco_bgp_saf_neighbor_state", "neighborid", peer[0],
                    "neighboras", peer[1], "local_as", "65101", "router_id", "10.255.0.11"), peer[0]);
        }
        String[] spine01 = {"neighborid", "10.0.0.1", "neighboras", "65000", "local_as", "65101", "router_id", "10.255.0.11"};
        assertEquals(123456, nexusValue("cisco_bgp_saf_neighbor_msgrecvd", spine01));
        assertEquals(123789, nexusValue("cisco_bgp_saf_neighbor_msgsent", spine01));
        assertEquals(3456, nexusValue("cisco_bgp_saf_neighbor_updates_recvd", spine01));
        assertEquals(864000, nexusValue("cisco_bgp_saf_neighbor_established_seconds", spine01));
    }

    @Test
    void cpu_memory_and_processes() {
        assertEquals(9, nexusValue("cisco_cpu_busy_percent", "interval", "5s"));
        assertEquals(12, nexusValue("cisco_cpu_busy_percent", "interval", "1m"));
        assertEquals(10, nexusValue("cisco_cpu_busy_percent", "interval", "5m"));
        assertEquals(6291456, nexusValue("cisco_memory_usage_used"));
        assertEquals(10485760, nexusValue("cisco_memory_usage_free"));
        assertEquals(16777216, nexusValue("cisco_memory_usage_total"));
        assertEquals(734, nexusValue("cisco_processes_total"));
    }

    @Test
    void up_and_a_runtime_per_group_and_promtool_accepts_it() {
        assertEquals(1, nexusValue("cisco_up"));
        for (String command : List.of("interfaces", "counters", "bgp", "system")) {
            double seconds = nexusValue("cisco_command_runtime", "command", command);
            assertTrue(seconds > 0 && seconds < 5, command + " " + seconds);
        }
        assertFalse(out.contains("_created"), out);
        Promtool.assertParses(out);
    }

    @Test
    void one_getbulk_row_at_a_time_reads_the_same() {
        Commands.Result slow = cisco(Map.of(), "--target", nexus.address(), "--community", nexus.community,
                "--max-repetitions", "1");
        assertEquals(0, slow.exit(), slow.describe());
        assertEquals(withoutRuntimes(out), withoutRuntimes(slow.out()));
    }

    static String withoutRuntimes(String exposition) {
        return exposition.replaceAll("(?m)^cisco_command_runtime\\{.*$", "");
    }

    @Test
    void targets_and_community_come_from_the_environment() {
        Commands.Result result = Commands.jbang(Project.root(),
                Map.of("CISCO_TARGETS", nexus.address() + ",127.0.0.1:" + nexus.port, "CISCO_COMMUNITY", nexus.community),
                "metrics", "--exporter", "cisco");
        assertEquals(0, result.exit(), result.describe());
        assertTrue(has(result.out(), series(nexus.address(), "cisco_up")), result.describe());
        assertEquals(1, result.out().lines().filter(l -> l.startsWith("cisco_up{")).count(), "duplicates read once");
    }

    @Test
    void wrong_community_fails_with_a_clear_error() {
        Commands.Result result = cisco(Map.of(), "--target", nexus.address(), "--community", "wrong",
                "--timeout", "0.5", "--retries", "0");
        assertEquals(1, result.exit(), result.describe());
        assertTrue(result.err().contains("cisco: error: IOException: no target answered: " + nexus.address()
                + " (no answer within 0.5 s × 1 tries (no agent there, or wrong community))"), result.describe());
        assertEquals("", result.out());
    }

    @Test
    void a_dead_port_ends_within_timeout_times_tries() {
        int dead = SnmpAgents.freeUdpPort();
        long start = System.nanoTime();
        Commands.Result result = cisco(Map.of(), "--target", "127.0.0.1:" + dead, "--timeout", "1", "--retries", "1");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(1, result.exit(), result.describe());
        assertTrue(result.err().contains("no answer within 1 s × 2 tries"), result.describe());
        // the bound is 2 s; the slack is two JVM starts (dispatcher, exporter), never a second bound
        assertTrue(seconds >= 2 && seconds < 2 + 3.5, "took " + seconds + " s\n" + result.describe());
    }

    @Test
    void one_dead_target_of_two_is_up_0_and_the_other_is_still_reported() {
        String dead = "127.0.0.1:" + SnmpAgents.freeUdpPort();
        Commands.Result result = cisco(Map.of(), "--target", dead, "--target", nexus.address(),
                "--community", nexus.community, "--timeout", "0.5", "--retries", "1");
        assertEquals(0, result.exit(), result.describe());
        String text = result.out();
        assertEquals(0, DispatcherTest.value(text, series(dead, "cisco_up")));
        assertEquals(1, DispatcherTest.value(text, series(nexus.address(), "cisco_up")));
        assertEquals(734, DispatcherTest.value(text, series(nexus.address(), "cisco_processes_total")));
        for (String command : List.of("interfaces", "counters", "bgp", "system")) {
            // every group waited the bound (0.5 s × 2 tries) once, at the same time, and not longer
            double seconds = DispatcherTest.value(text, series(dead, "cisco_command_runtime", "command", command));
            assertTrue(seconds >= 0.95 && seconds < 1.6, command + " took " + seconds);
        }
        assertFalse(text.lines().anyMatch(l -> l.contains(dead) && !l.startsWith("cisco_up") && !l.startsWith("cisco_command_runtime")), text);
        assertTrue(result.err().contains("cisco: warning: " + dead + ": no answer within 0.5 s × 2 tries"), result.describe());
        Promtool.assertParses(text);
    }

    @Test
    void every_target_dead_exits_1_naming_each() {
        String first = "127.0.0.1:" + SnmpAgents.freeUdpPort();
        String second = "localhost:" + SnmpAgents.freeUdpPort();
        long start = System.nanoTime();
        Commands.Result result = cisco(Map.of(), "--target", first, "--target", second, "--timeout", "0.5", "--retries", "0");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(1, result.exit(), result.describe());
        assertTrue(result.err().contains("cisco: error: IOException: no target answered: " + first + " (no answer"), result.describe());
        assertTrue(result.err().contains("; " + second + " (no answer within 0.5 s × 1 tries"), result.describe());
        assertTrue(took.toMillis() < 500 + 3500, "targets are polled concurrently: " + took);
    }

    @Test
    void unresolvable_host_is_down_and_said_so() {
        Commands.Result result = cisco(Map.of(), "--target", "no-such-switch.invalid", "--target", nexus.address(),
                "--community", nexus.community);
        assertEquals(0, result.exit(), result.describe());
        assertEquals(0, DispatcherTest.value(result.out(), series("no-such-switch.invalid", "cisco_up")));
        assertTrue(result.err().contains("no-such-switch.invalid: unknown host"), result.describe());
    }

    @Test
    void bad_options_are_usage_errors_naming_the_problem() {
        Map<List<String>, String> cases = Map.of(
                List.of(), "No target: give --target HOST[:PORT] (repeatable) or set CISCO_TARGETS",
                List.of("--target", "sw1:99999"), "Invalid --target 'sw1:99999': port 99999 is not between 1 and 65535",
                List.of("--target", "sw1", "--snmp-version", "1"), "Invalid --snmp-version '1': 2c or 3",
                List.of("--target", "sw1", "--snmp-version", "3"), "--snmp-version 3 needs --username",
                List.of("--target", "sw1", "--snmp-version", "3", "--username", "u", "--auth-protocol", "SHA"),
                "--auth-protocol needs the password in the environment variable CISCO_AUTH_PASSWORD",
                List.of("--target", "sw1", "--username", "u"), "--username, --auth-protocol and --priv-protocol need --snmp-version 3",
                List.of("--target", "sw1", "--timeout", "0"), "Invalid --timeout 0.0");
        cases.forEach((args, message) -> {
            Commands.Result result = cisco(Map.of(), args.toArray(String[]::new));
            assertEquals(2, result.exit(), args + ": " + result.describe());
            assertTrue(result.err().contains(message), args + ": " + result.describe());
        });
    }
}
