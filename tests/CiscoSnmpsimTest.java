import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Cisco exporter through {@code ./jbang metrics} against simulated devices (snmpsim): a Nexus switch
 * ({@code tests/fixtures/cisco/nexus.snmprec}) and an IOS-XE edge router ({@code router.snmprec}: cbgpPeer2 peers,
 * several CPUs, a port without ifHC counters, an MPLS layer, a BDI), and dead ports.
 */
class CiscoSnmpsimTest {
    static final Path FIXTURES = Project.root().resolve("tests/fixtures/cisco");
    static final String SUPERVISOR = "Module-1 48x10/25G + 6x40/100G Supervisor"; // entPhysicalName of its CPU
    static Snmpsim agent;
    static CiscoExposition nexus;
    static CiscoExposition router;
    static Commands.Result routerRun;

    @BeforeAll
    static void start() throws Exception {
        agent = Snmpsim.start(FIXTURES.resolve("nexus.snmprec"), FIXTURES.resolve("router.snmprec"));
        Commands.Result result = cisco(Map.of(), "--target", agent.address(), "--community", "nexus");
        assertEquals(0, result.exit(), result.describe());
        nexus = CiscoExposition.parse(result.out());
        routerRun = cisco(Map.of(), "--target", agent.address(), "--community", "router");
        assertEquals(0, routerRun.exit(), routerRun.describe());
        router = CiscoExposition.parse(routerRun.out());
    }

    @AfterAll
    static void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
    }

    static Commands.Result cisco(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("metrics", "--exporter", "cisco"));
        command.addAll(List.of(args));
        return Commands.jbang(Project.root(), env, command.toArray(String[]::new));
    }

    /** {@code labels} with the instance label first. */
    static String[] at(String instance, String... labels) {
        String[] all = new String[labels.length + 2];
        all[0] = "instance";
        all[1] = instance;
        System.arraycopy(labels, 0, all, 2, labels.length);
        return all;
    }

    static double nexusValue(String name, String... labels) {
        return nexus.value(name, at(agent.address(), labels));
    }

    static double routerValue(String name, String... labels) {
        return router.value(name, at(agent.address(), labels));
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
        assertNull(nexus.get("cisco_eth_mode", at(agent.address(), mgmt0)), "mgmt0 has no VTP row");
        assertEquals(1, nexusValue("cisco_eth_state", eth("loopback0", "unknown", "router-id")));
        assertEquals(9, nexus.named("cisco_eth_state").size(), nexus.text);
        assertEquals(7, nexus.named("cisco_eth_mode").size(), nexus.text);
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
        assertEquals("counter", nexus.type("cisco_eth_inbytes_total"));
        assertTrue(help(nexus, "cisco_eth_inbytes_total").startsWith("Bytes received (IF-MIB ifHCInOctets "
                + "1.3.6.1.2.1.31.1.1.1.6, else the 32-bit ifInOctets 1.3.6.1.2.1.2.2.1.10)"), nexus.text);
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
        assertFalse(nexus.has("cisco_eth_state", "interface", "Vlan10"), nexus.text);
    }

    @Test
    void bgp4_mib_peers_in_several_states_with_the_originals_numbering() {
        String[][] peers = {{"10.0.0.1", "65000", "5"}, {"10.0.0.2", "65000", "5"}, {"10.0.0.9", "65010", "2"},
            {"10.0.0.13", "65011", "3"}, {"192.0.2.17", "64512", "0"}, {"198.51.100.5", "64513", "1"}};
        for (String[] peer : peers) {
            assertEquals(Double.parseDouble(peer[2]), nexusValue("cisco_bgp_saf_neighbor_state", "af_id", "unknown",
                    "neighborid", peer[0], "router_id", "10.255.0.11", "local_as", "65101", "neighboras", peer[1],
                    "safi", "unknown"), peer[0]);
        }
        String[] spine01 = {"af_id", "unknown", "neighborid", "10.0.0.1", "router_id", "10.255.0.11", "local_as", "65101",
            "neighboras", "65000", "safi", "unknown"};
        assertEquals(123456, nexusValue("cisco_bgp_saf_neighbor_msgrecvd_total", spine01));
        assertEquals(123789, nexusValue("cisco_bgp_saf_neighbor_msgsent_total", spine01));
        assertEquals(3456, nexusValue("cisco_bgp_saf_neighbor_updates_recvd_total", spine01));
        assertEquals(864000, nexusValue("cisco_bgp_saf_neighbor_established_seconds", spine01));
        assertEquals("counter", nexus.type("cisco_bgp_saf_neighbor_msgrecvd_total"));
        assertEquals("counter", nexus.type("cisco_bgp_saf_neighbor_msgsent_total"));
    }

    @Test
    void cpu_memory_and_processes() {
        assertEquals(9, nexusValue("cisco_cpu_busy_percent", "cpu", SUPERVISOR, "interval", "5s"));
        assertEquals(12, nexusValue("cisco_cpu_busy_percent", "cpu", SUPERVISOR, "interval", "1m"));
        assertEquals(10, nexusValue("cisco_cpu_busy_percent", "cpu", SUPERVISOR, "interval", "5m"));
        assertEquals(6291456, nexusValue("cisco_memory_usage_used"));
        assertEquals(10485760, nexusValue("cisco_memory_usage_free"));
        assertEquals(16777216, nexusValue("cisco_memory_usage_total"));
        assertEquals(734, nexusValue("cisco_processes_total"));
    }

    @Test
    void up_success_and_a_runtime_per_group_and_promtool_accepts_it() {
        assertEquals(1, nexusValue("cisco_up"));
        for (String command : List.of("interfaces", "counters", "bgp", "system")) {
            double seconds = nexusValue("cisco_command_runtime", "command", command);
            assertTrue(seconds > 0 && seconds < 5, command + " " + seconds);
            assertEquals(1, nexusValue("cisco_command_success", "command", command), command);
        }
        assertEquals(List.of(), nexus.duplicates());
        assertFalse(nexus.text.contains("_created"), nexus.text);
        Promtool.assertParses(nexus.text);
        // the original's execution_seconds, for the steps it timed
        assertEquals(1, nexus.value("execution_seconds_count", "function", "cisco.collect_switch_interfaces"));
        assertEquals("summary", nexus.type("execution_seconds"));
    }

    @Test
    void one_getbulk_row_at_a_time_reads_the_same() {
        Commands.Result slow = cisco(Map.of(), "--target", agent.address(), "--community", "nexus", "--max-repetitions", "1");
        assertEquals(0, slow.exit(), slow.describe());
        assertEquals(values(nexus), values(CiscoExposition.parse(slow.out())));
    }

    static String help(CiscoExposition exposition, String name) {
        String help = exposition.helps.get(name);
        return help != null ? help : exposition.helps.getOrDefault(name.replaceFirst("_total$", ""), "");
    }

    /** Every sample but the timings, as text. */
    static List<String> values(CiscoExposition exposition) {
        return exposition.samples.stream().filter(s -> !s.name().startsWith("cisco_command_runtime")
                && !s.name().startsWith("execution_seconds")).map(s -> s.series() + " " + s.value()).toList();
    }

    // ---- the IOS-XE router ----

    @Test
    void router_port_channels_and_sub_interfaces_are_ethernet_bdis_and_vlans_svis_layers_left_out() {
        String[] po1 = eth("Po1", "7010.5c3a.0300", "to dist01");
        assertEquals(1, routerValue("cisco_eth_state", po1));
        assertEquals(1, routerValue("cisco_eth_mode", po1)); // dot1Q trunk (vlanTrunkPortEncapsulationOperType)
        assertEquals(0, routerValue("cisco_eth_state", eth("Gi0/0/1.100", "7010.5c3a.0101", "cust-100")));
        assertEquals(1, routerValue("cisco_svi_state", "interface", "BD10", "hwaddr", "7010.5c3a.0400"));
        assertEquals(0, routerValue("cisco_svi_admin_state", "interface", "Vl20", "hwaddr", "7010.5c3a.0401"));
        assertEquals(5000007, routerValue("cisco_svi_ucast_pkts_in_total", "interface", "BD10"));
        // the MPLS layer of Te0/1/0 (same ifName) and the unrouted VLAN are not interfaces to report
        assertEquals(1, router.named("cisco_eth_state").stream().filter(s -> s.labels().get("interface").equals("Te0/1/0")).count());
        assertEquals(1000000000004.0, routerValue("cisco_eth_inbytes_total", "interface", "Te0/1/0", "description",
                "core01 Te0/0/0/1"));
        assertFalse(router.has("cisco_eth_state", "interface", "VLAN-1"), router.text);
        assertEquals(8, router.named("cisco_eth_state").size(), router.text);
        assertEquals(2, router.named("cisco_svi_state").size(), router.text);
    }

    @Test
    void router_port_without_hc_counters_reports_its_32_bit_octets() {
        String[] gi0 = {"interface", "Gi0", "description", "oob"};
        assertEquals(3456789012.0, routerValue("cisco_eth_inbytes_total", gi0));
        assertEquals(123456789, routerValue("cisco_eth_outbytes_total", gi0));
        assertNull(router.get("cisco_eth_inpkts_total", at(agent.address(), gi0)), "no 32-bit packet fallback");
        assertEquals(43, routerValue("cisco_eth_ingiants_total", gi0));
    }

    @Test
    void router_bgp_from_cbgppeer2_per_address_family() {
        String[] labels = {"router_id", "10.255.0.1", "local_as", "4200000001"};
        String[] unicast = join(labels, "af_id", "1", "safi", "1", "neighborid", "192.0.2.1", "neighboras", "64500");
        String[] vpnv4 = join(labels, "af_id", "1", "safi", "128", "neighborid", "192.0.2.1", "neighboras", "64500");
        String[] v6 = join(labels, "af_id", "2", "safi", "1", "neighborid", "2001:db8::1", "neighboras", "4200000002");
        assertEquals(5, routerValue("cisco_bgp_saf_neighbor_state", unicast));
        assertEquals(1200, routerValue("cisco_bgp_saf_neighbor_prefixreceived", unicast));
        assertEquals(300, routerValue("cisco_bgp_saf_neighbor_prefixreceived", vpnv4));
        assertEquals(1048576, routerValue("cisco_bgp_saf_neighbor_msgrecvd_total", vpnv4));
        assertEquals(45, routerValue("cisco_bgp_saf_neighbor_prefixreceived", v6));
        assertEquals(5001, routerValue("cisco_bgp_saf_neighbor_msgsent_total", v6));
        assertEquals(0, routerValue("cisco_bgp_saf_neighbor_state", join(labels, "af_id", "2", "safi", "1",
                "neighborid", "2001:db8:0:1::2", "neighboras", "64502"))); // idle
        assertEquals(2, routerValue("cisco_bgp_saf_neighbor_state", join(labels, "af_id", "1", "safi", "1",
                "neighborid", "192.0.2.5", "neighboras", "64501"))); // active
        assertEquals(2, routerValue("cisco_bgp_saf_configuredpeers", join(labels, "af_id", "1", "safi", "1")));
        assertEquals(1, routerValue("cisco_bgp_saf_capablepeers", join(labels, "af_id", "1", "safi", "1")));
        assertEquals(2, routerValue("cisco_bgp_saf_configuredpeers", join(labels, "af_id", "2", "safi", "1")));
        assertEquals(5, router.named("cisco_bgp_saf_neighbor_state").size(), "BGP4-MIB's peer row is not read too");
    }

    static String[] join(String[] first, String... more) {
        String[] all = new String[first.length + more.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    @Test
    void router_every_cpu_named_and_memory_summed() {
        assertEquals(11, routerValue("cisco_cpu_busy_percent", "cpu", "cpu R0/0", "interval", "5s"));
        assertEquals(40, routerValue("cisco_cpu_busy_percent", "cpu", "cpu F0/0", "interval", "1m"));
        assertEquals(3, routerValue("cisco_cpu_busy_percent", "cpu", "cpmCPUTotalIndex 4", "interval", "5m"));
        assertEquals(3145728 + 1048576, routerValue("cisco_memory_usage_used"));
        assertEquals(4194304 + 2097152, routerValue("cisco_memory_usage_free"));
        assertEquals(List.of(), router.duplicates());
        assertEquals(List.of(), routerRun.errBesidesBuilds());
        Promtool.assertParses(router.text);
    }

    // ---- targets, credentials, dead ports ----

    @Test
    void targets_and_community_come_from_the_environment() {
        Commands.Result result = Commands.jbang(Project.root(),
                Map.of("CISCO_TARGETS", agent.address() + ",127.0.0.1:" + agent.port, "CISCO_COMMUNITY", "nexus"),
                "metrics", "--exporter", "cisco");
        assertEquals(0, result.exit(), result.describe());
        CiscoExposition out = CiscoExposition.parse(result.out());
        assertEquals(1, out.value("cisco_up", "instance", agent.address()));
        assertEquals(1, out.named("cisco_up").size(), "duplicates read once");
    }

    @Test
    void wrong_community_fails_with_a_clear_error() {
        Commands.Result result = cisco(Map.of(), "--target", agent.address(), "--community", "wrong",
                "--timeout", "0.5", "--retries", "0");
        assertEquals(1, result.exit(), result.describe());
        assertTrue(result.err().contains("cisco: error: IOException: no target could be read: " + agent.address()
                + " (timeout: no answer in 1 try of 0.5 s (no SNMP agent there, or a wrong community))"), result.describe());
        assertEquals("", result.out());
    }

    @Test
    void a_dead_port_ends_within_timeout_times_tries() {
        int dead = SnmpAgents.freeUdpPort();
        long start = System.nanoTime();
        Commands.Result result = cisco(Map.of(), "--target", "127.0.0.1:" + dead, "--timeout", "1", "--retries", "1");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(1, result.exit(), result.describe());
        assertTrue(result.err().contains("timeout: no answer in 2 tries of 1 s"), result.describe());
        // the bound is 2 s; the slack is two JVM starts (dispatcher, exporter), never a second bound
        assertTrue(seconds >= 2 && seconds < 2 + 3.5, "took " + seconds + " s\n" + result.describe());
    }

    @Test
    void one_dead_target_of_two_is_up_0_and_the_other_is_still_reported() {
        String dead = "127.0.0.1:" + SnmpAgents.freeUdpPort();
        Commands.Result result = cisco(Map.of(), "--target", dead, "--target", agent.address(),
                "--community", "nexus", "--timeout", "0.5", "--retries", "1");
        assertEquals(0, result.exit(), result.describe());
        CiscoExposition out = CiscoExposition.parse(result.out());
        assertEquals(0, out.value("cisco_up", "instance", dead));
        assertEquals(1, out.value("cisco_up", "instance", agent.address()));
        assertEquals(734, out.value("cisco_processes_total", "instance", agent.address()));
        for (String command : List.of("interfaces", "counters", "bgp", "system")) {
            // every group waited the bound (0.5 s × 2 tries) once, at the same time, and not longer
            double seconds = out.value("cisco_command_runtime", "instance", dead, "command", command);
            assertTrue(seconds >= 0.95 && seconds < 1.6, command + " took " + seconds);
            assertEquals(0, out.value("cisco_command_success", "instance", dead, "command", command));
        }
        assertFalse(out.samples.stream().anyMatch(s -> dead.equals(s.labels().get("instance"))
                && !s.name().startsWith("cisco_up") && !s.name().startsWith("cisco_command_")), result.out());
        assertTrue(result.err().contains("cisco: warning: " + dead + ": timeout: no answer in 2 tries of 0.5 s"),
                result.describe());
        Promtool.assertParses(result.out());
    }

    @Test
    void every_target_dead_exits_1_naming_each() {
        String first = "127.0.0.1:" + SnmpAgents.freeUdpPort();
        String second = "localhost:" + SnmpAgents.freeUdpPort();
        long start = System.nanoTime();
        Commands.Result result = cisco(Map.of(), "--target", first, "--target", second, "--timeout", "0.5", "--retries", "0");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(1, result.exit(), result.describe());
        assertTrue(result.err().contains("cisco: error: IOException: no target could be read: " + first + " (timeout"),
                result.describe());
        assertTrue(result.err().contains("; " + second + " (timeout: no answer in 1 try of 0.5 s"), result.describe());
        assertTrue(took.toMillis() < 500 + 3500, "targets are polled concurrently: " + took);
    }

    @Test
    void unresolvable_host_is_down_and_said_so() {
        Commands.Result result = cisco(Map.of(), "--target", "no-such-switch.invalid", "--target", agent.address(),
                "--community", "nexus");
        assertEquals(0, result.exit(), result.describe());
        assertEquals(0, CiscoExposition.parse(result.out()).value("cisco_up", "instance", "no-such-switch.invalid"));
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
