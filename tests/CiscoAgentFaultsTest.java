import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Cisco exporter through {@code ./jbang metrics} against an agent that misbehaves as real ones do: a UDP
 * proxy ({@link SnmpProxy}) in front of snmpsim answers genErr for one column, NULLs for another, or nothing
 * to a group's requests. What fails costs only itself, is named, and no request waits past its bound.
 */
class CiscoAgentFaultsTest {
    static final String IF_HC_IN_OCTETS = "1.3.6.1.2.1.31.1.1.1.6";
    static final String IF_IN_ERRORS = "1.3.6.1.2.1.2.2.1.14";
    static final String CPM_CPU_TOTAL_5SEC_REV = "1.3.6.1.4.1.9.9.109.1.1.1.1.6";
    static Snmpsim nexus;
    static CiscoExposition direct;

    @BeforeAll
    static void start() throws Exception {
        nexus = Snmpsim.start(CiscoSnmpsimTest.FIXTURES.resolve("nexus.snmprec"));
        // straight to the agent: what the proxy passes through unchanged should give (and the build is done
        // before the timed runs)
        Commands.Result result = CiscoSnmpsimTest.cisco(Map.of(), "--target", nexus.address(), "--community", nexus.community);
        assertEquals(0, result.exit(), result.describe());
        direct = CiscoExposition.parse(result.out());
    }

    @AfterAll
    static void stop() throws Exception {
        if (nexus != null) {
            nexus.close();
        }
    }

    static SnmpProxy proxy() throws Exception {
        return SnmpProxy.start("127.0.0.1", nexus.port);
    }

    static Commands.Result cisco(SnmpProxy proxy, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--target", proxy.address(), "--community", nexus.community));
        args.addAll(List.of(more));
        return CiscoSnmpsimTest.cisco(Map.of(), args.toArray(String[]::new));
    }

    static double success(CiscoExposition out, SnmpProxy proxy, String command) {
        return out.value("cisco_command_success", "instance", proxy.address(), "command", command);
    }

    static final String[] E11 = {"interface", "Ethernet1/1", "description", "spine01 Eth1/49"};

    static String[] at(SnmpProxy proxy, String... labels) {
        return CiscoSnmpsimTest.at(proxy.address(), labels);
    }

    @Test
    void a_column_answering_generr_costs_only_that_column_and_is_named() throws Exception {
        try (SnmpProxy proxy = proxy().fault(IF_HC_IN_OCTETS, SnmpProxy.Fault.GEN_ERR)) {
            Commands.Result result = cisco(proxy);
            assertEquals(0, result.exit(), result.describe());
            CiscoExposition out = CiscoExposition.parse(result.out());
            assertEquals(1, out.value("cisco_up", "instance", proxy.address()));
            assertEquals(0, success(out, proxy, "counters"));
            assertEquals(1, success(out, proxy, "interfaces"));
            assertEquals(1, success(out, proxy, "bgp"));
            assertEquals(1, success(out, proxy, "system"));
            assertNull(out.get("cisco_eth_inbytes_total", at(proxy, E11)), "the column refused");
            assertEquals(2, out.value("cisco_eth_inerr_total", at(proxy, E11)), "the rest of its group");
            assertEquals(6500000000.0 + 7654321 + 21098, out.value("cisco_eth_outpkts_total", at(proxy, E11)));
            assertEquals(734, out.value("cisco_processes_total", "instance", proxy.address()));
            assertTrue(result.err().contains("cisco: warning: " + proxy.address() + ": counters: IF-MIB ifHCInOctets ("
                    + IF_HC_IN_OCTETS + "): the agent answered genErr; left out, the rest read"), result.describe());
            Promtool.assertParses(result.out());
        }
    }

    @Test
    void a_column_refused_without_an_error_index_is_found_and_costs_only_itself() throws Exception {
        try (SnmpProxy proxy = proxy().fault(IF_HC_IN_OCTETS, SnmpProxy.Fault.GEN_ERR_UNNAMED)) {
            Commands.Result result = cisco(proxy);
            assertEquals(0, result.exit(), result.describe());
            CiscoExposition out = CiscoExposition.parse(result.out());
            assertEquals(0, success(out, proxy, "counters"));
            assertEquals(1, success(out, proxy, "interfaces"));
            assertEquals(2, out.value("cisco_eth_inerr_total", at(proxy, E11)));
            assertEquals(1, out.value("cisco_eth_state", at(proxy, "interface", "Ethernet1/1", "hwaddr", "003a.9c5a.1b08",
                    "description", "spine01 Eth1/49")));
            assertTrue(result.err().contains("counters: IF-MIB ifHCInOctets (" + IF_HC_IN_OCTETS
                    + "): the agent answered genErr (error-index 0)"), result.describe());
        }
    }

    @Test
    void a_column_answered_with_nulls_is_a_failure_made_visible_not_an_empty_table() throws Exception {
        try (SnmpProxy proxy = proxy().fault(IF_IN_ERRORS, SnmpProxy.Fault.NULLS)) {
            Commands.Result result = cisco(proxy);
            assertEquals(0, result.exit(), result.describe());
            CiscoExposition out = CiscoExposition.parse(result.out());
            assertEquals(0, success(out, proxy, "counters"));
            assertEquals(List.of(), out.named("cisco_eth_inerr_total"));
            assertEquals(9876543210123.0, out.value("cisco_eth_inbytes_total", at(proxy, E11)));
            assertTrue(result.err().contains("counters: IF-MIB ifInErrors (" + IF_IN_ERRORS + "): malformed answer: "
                    + IF_IN_ERRORS + " with a NULL value; left out, the rest read"), result.describe());
        }
    }

    @Test
    void an_agent_with_one_column_answering_generr_and_another_nulls_gives_everything_else_and_names_both() throws Exception {
        String ifAlias = "1.3.6.1.2.1.31.1.1.1.18";
        try (SnmpProxy proxy = proxy().fault(ifAlias, SnmpProxy.Fault.GEN_ERR).fault(IF_IN_ERRORS, SnmpProxy.Fault.NULLS)) {
            Commands.Result result = cisco(proxy);
            assertEquals(0, result.exit(), result.describe());
            CiscoExposition out = CiscoExposition.parse(result.out());
            assertEquals(1, out.value("cisco_up", "instance", proxy.address()));
            assertEquals(0, success(out, proxy, "interfaces"));
            assertEquals(0, success(out, proxy, "counters"));
            assertEquals(1, success(out, proxy, "bgp"));
            assertEquals(1, success(out, proxy, "system"));
            // without ifAlias, every description is unknown; without ifInErrors, no inerr series; the rest as ever
            String[] e11 = {"interface", "Ethernet1/1", "description", "unknown"};
            assertEquals(9876543210123.0, out.value("cisco_eth_inbytes_total", at(proxy, e11)));
            assertEquals(1, out.value("cisco_eth_outerr_total", at(proxy, e11)));
            assertEquals(List.of(), out.named("cisco_eth_inerr_total"));
            assertEquals(9, out.named("cisco_eth_state").size(), result.out());
            assertEquals(6, out.named("cisco_bgp_saf_neighbor_state").size(), result.out());
            assertTrue(result.err().contains("interfaces: IF-MIB ifAlias (" + ifAlias + "): the agent answered genErr"),
                    result.describe());
            assertTrue(result.err().contains("counters: IF-MIB ifInErrors (" + IF_IN_ERRORS + "): malformed answer"),
                    result.describe());
            assertEquals(List.of(), out.duplicates());
            Promtool.assertParses(result.out());
        }
    }

    @Test
    void an_agent_echoing_every_request_with_nulls_fails_the_run_saying_so() throws Exception {
        try (SnmpProxy proxy = proxy().fault("1.3", SnmpProxy.Fault.NULLS)) {
            Commands.Result result = cisco(proxy);
            assertEquals(1, result.exit(), result.describe());
            assertTrue(result.err().contains("cisco: error: IOException: no target could be read: " + proxy.address()
                    + " (IF-MIB ifDescr (1.3.6.1.2.1.2.2.1.2): malformed answer: 1.3.6.1.2.1.2.2.1.2 with a NULL value)"),
                    result.describe());
            assertEquals("", result.out());
        }
    }

    @Test
    void a_group_whose_requests_get_no_answer_costs_only_itself_and_one_request_bound() throws Exception {
        // the probe (a GETNEXT of the column itself) is answered; the system group's walk then never is
        try (SnmpProxy proxy = proxy().fault(CPM_CPU_TOTAL_5SEC_REV, SnmpProxy.Fault.SILENT)) {
            long start = System.nanoTime();
            Commands.Result result = cisco(proxy, "--timeout", "1", "--retries", "1");
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(0, result.exit(), result.describe());
            CiscoExposition out = CiscoExposition.parse(result.out());
            assertEquals(1, out.value("cisco_up", "instance", proxy.address()));
            assertEquals(0, success(out, proxy, "system"));
            assertEquals(1, success(out, proxy, "interfaces"));
            assertEquals(1, success(out, proxy, "counters"));
            double system = out.value("cisco_command_runtime", "instance", proxy.address(), "command", "system");
            assertTrue(system >= 2 && system < 2.8, "the bound is 1 s × 2 tries, once: " + system);
            assertTrue(out.value("cisco_command_runtime", "instance", proxy.address(), "command", "interfaces") < 1.5);
            assertEquals(List.of(), out.named("cisco_cpu_busy_percent"));
            assertEquals(9876543210123.0, out.value("cisco_eth_inbytes_total", at(proxy, E11)));
            assertTrue(result.err().contains("cisco: warning: " + proxy.address()
                    + ": system: timeout: no answer in 2 tries of 1 s"), result.describe());
            assertFalse(result.err().contains("wrong community"), "the agent answered the probe:\n" + result.describe());
            // the bound once, plus two JVM starts (dispatcher, exporter): never a second bound
            assertTrue(seconds < 2 + 3.5, "took " + seconds + " s");
        }
    }

    @Test
    void a_run_of_a_switch_costs_few_requests_and_a_healthy_proxy_changes_nothing() throws Exception {
        try (SnmpProxy proxy = proxy()) {
            Commands.Result result = cisco(proxy);
            assertEquals(0, result.exit(), result.describe());
            CiscoExposition out = CiscoExposition.parse(result.out());
            // the probe (every column at once), the walks of the tables there (snmpsimd answers at most about 64
            // bindings a request: the interface and counter tables take two or three), the CPU's name
            assertEquals(9, proxy.received.get(), proxy.log + "\n" + result.describe());
            assertTrue(proxy.log.get(0).startsWith("GETBULK " + (5 + CiscoMappingTest.probeColumns()) + " oids (5 non-repeaters, 1 repetitions)"),
                    proxy.log.toString());
            assertEquals(1, proxy.log.stream().filter(l -> l.startsWith("GET ")).count(), proxy.log.toString());
            assertEquals(CiscoSnmpsimTest.values(direct).stream().map(s -> s.replace(nexus.address(), "X")).toList(),
                    CiscoSnmpsimTest.values(out).stream().map(s -> s.replace(proxy.address(), "X")).toList());
        }
    }
}
