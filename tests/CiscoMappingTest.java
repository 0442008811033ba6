import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.IpAddress;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/** The Cisco exporter's walking and mapping, with literal input and no SNMP at all. */
class CiscoMappingTest {
    static final String[] ETH = {"instance", "interface", "hwaddr", "description"};
    static final String[] ETH_COUNTER = {"instance", "interface", "description"};
    static final String[] SVI = {"instance", "interface", "hwaddr"};
    static final String[] BGP = {"instance", "neighborid", "neighboras", "local_as", "router_id"};
    static final String SW = "sw1:1161";

    // ---- walking ----

    /** Answers GETBULK from a sorted list of bindings, as an agent would, and records every request. */
    static final class RecordedAgent implements SnmpClient {
        final List<VariableBinding> mib = new ArrayList<>();
        final List<String> requests = new ArrayList<>();
        int maxBindings = Integer.MAX_VALUE; // an agent's response size limit: it truncates
        int tooBigAbove = Integer.MAX_VALUE; // an agent that answers tooBig instead of truncating

        RecordedAgent with(String oid, Variable value) {
            mib.add(new VariableBinding(new OID(oid), value));
            mib.sort((a, b) -> a.getOid().compareTo(b.getOid()));
            return this;
        }

        @Override
        public List<VariableBinding> getBulk(List<OID> oids, int nonRepeaters, int maxRepetitions) throws IOException {
            requests.add(oids.size() + " oids, " + nonRepeaters + " non-repeaters, " + maxRepetitions + " repetitions");
            if ((oids.size() - nonRepeaters) * maxRepetitions > tooBigAbove) {
                throw new SnmpClient.AgentError(SnmpClient.AgentError.TOO_BIG, "tooBig");
            }
            List<VariableBinding> answer = new ArrayList<>();
            for (int i = 0; i < nonRepeaters; i++) {
                answer.add(next(oids.get(i)));
            }
            List<OID> cursors = new ArrayList<>(oids.subList(nonRepeaters, oids.size()));
            for (int r = 0; r < maxRepetitions; r++) {
                for (int c = 0; c < cursors.size(); c++) {
                    VariableBinding next = next(cursors.get(c));
                    answer.add(next);
                    cursors.set(c, next.getOid());
                }
            }
            return answer.subList(0, Math.min(answer.size(), maxBindings));
        }

        private VariableBinding next(OID after) {
            return mib.stream().filter(b -> b.getOid().compareTo(after) > 0).findFirst()
                    .orElseGet(() -> new VariableBinding(after, Null.endOfMibView));
        }
    }

    static RecordedAgent threeRowTable() {
        return new RecordedAgent()
                .with("1.3.6.1.2.1.15.2.0", new Integer32(65101))
                .with("1.3.6.1.2.1.2.2.1.2.1", new OctetString("a"))
                .with("1.3.6.1.2.1.2.2.1.2.2", new OctetString("b"))
                .with("1.3.6.1.2.1.2.2.1.2.3", new OctetString("c"))
                .with("1.3.6.1.2.1.2.2.1.3.1", new Integer32(6))
                .with("1.3.6.1.2.1.2.2.1.3.2", new Integer32(53))
                .with("1.3.6.1.2.1.2.2.1.3.3", new Integer32(24))
                .with("1.3.6.1.2.1.2.2.1.4.1", new Integer32(1500));
    }

    @Test
    void walk_reads_every_row_of_every_column_and_scalars_ride_along_as_non_repeaters() throws Exception {
        RecordedAgent agent = threeRowTable();
        SnmpTable table = SnmpWalker.walk(agent, List.of(Mibs.BGP_LOCAL_AS), List.of(Mibs.IF_DESCR, Mibs.IF_TYPE), 2);
        assertEquals(new Integer32(65101), table.scalar(Mibs.BGP_LOCAL_AS));
        assertEquals(List.of(new OID("1"), new OID("2"), new OID("3")), List.copyOf(table.column(Mibs.IF_DESCR).keySet()));
        assertEquals(new OctetString("c"), table.column(Mibs.IF_DESCR).get(new OID("3")));
        assertEquals(new Integer32(53), table.column(Mibs.IF_TYPE).get(new OID("2")));
        // rows 1-2, then 3 and the end of both columns: two round trips for the whole table
        assertEquals(List.of("3 oids, 1 non-repeaters, 2 repetitions", "2 oids, 0 non-repeaters, 2 repetitions"),
                agent.requests);
    }

    @Test
    void walk_survives_an_agent_that_truncates_answers_mid_row() throws Exception {
        RecordedAgent agent = threeRowTable();
        agent.maxBindings = 3; // one row and a half of two columns
        SnmpTable table = SnmpWalker.walk(agent, List.of(), List.of(Mibs.IF_DESCR, Mibs.IF_TYPE), 25);
        assertEquals(3, table.column(Mibs.IF_DESCR).size());
        assertEquals(3, table.column(Mibs.IF_TYPE).size());
        assertEquals(new Integer32(24), table.column(Mibs.IF_TYPE).get(new OID("3")));
    }

    @Test
    void walk_halves_repetitions_when_the_agent_answers_too_big() throws Exception {
        RecordedAgent agent = threeRowTable();
        agent.tooBigAbove = 4;
        SnmpTable table = SnmpWalker.walk(agent, List.of(), List.of(Mibs.IF_DESCR, Mibs.IF_TYPE), 8);
        assertEquals(3, table.column(Mibs.IF_DESCR).size());
        assertEquals("2 oids, 0 non-repeaters, 2 repetitions", agent.requests.get(2), agent.requests.toString());
    }

    @Test
    void walk_ends_a_column_when_the_agent_goes_backwards() throws Exception {
        SnmpClient looping = (oids, nonRepeaters, maxRepetitions) ->
                List.of(new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.2.5"), new OctetString("x")));
        SnmpTable table = SnmpWalker.walk(looping, List.of(), List.of(Mibs.IF_DESCR), 1);
        assertEquals(1, table.column(Mibs.IF_DESCR).size()); // a second identical answer ends it, no endless loop
    }

    @Test
    void walk_of_a_missing_mib_is_empty_not_an_error() throws Exception {
        SnmpTable table = SnmpWalker.walk(threeRowTable(), List.of(Mibs.HR_SYSTEM_PROCESSES),
                List.of(Mibs.CPM_CPU_TOTAL_5SEC_REV), 25);
        assertTrue(table.column(Mibs.CPM_CPU_TOTAL_5SEC_REV).isEmpty());
        assertNull(table.scalar(Mibs.HR_SYSTEM_PROCESSES));
    }

    @Test
    void walk_passes_on_what_the_agent_refuses() {
        SnmpClient refusing = (oids, nonRepeaters, maxRepetitions) -> {
            throw new IOException("no answer within 1 s × 3 tries");
        };
        IOException e = assertThrows(IOException.class, () -> SnmpWalker.walk(refusing, List.of(), List.of(Mibs.IF_DESCR), 25));
        assertEquals("no answer within 1 s × 3 tries", e.getMessage());
    }

    @Test
    void walk_asks_for_fewer_columns_when_even_one_row_is_too_big() throws Exception {
        RecordedAgent agent = threeRowTable();
        agent.tooBigAbove = 1; // one binding per request at most
        SnmpTable table = SnmpWalker.walk(agent, List.of(), List.of(Mibs.IF_DESCR, Mibs.IF_TYPE), 4);
        assertEquals(3, table.column(Mibs.IF_DESCR).size());
        assertEquals(3, table.column(Mibs.IF_TYPE).size());
        assertEquals(List.of("2 oids, 0 non-repeaters, 4 repetitions", "2 oids, 0 non-repeaters, 2 repetitions",
                "2 oids, 0 non-repeaters, 1 repetitions", "1 oids, 0 non-repeaters, 1 repetitions"),
                agent.requests.subList(0, 4));
    }

    @Test
    void walk_of_an_agent_that_answers_nothing_fails_instead_of_asking_forever() {
        SnmpClient empty = (oids, nonRepeaters, maxRepetitions) -> List.of();
        assertThrows(IOException.class, () -> SnmpWalker.walk(empty, List.of(Mibs.HR_SYSTEM_PROCESSES), List.of(), 25));
        assertThrows(IOException.class, () -> SnmpWalker.walk(empty, List.of(), List.of(Mibs.IF_DESCR), 25));
    }

    @Test
    void a_part_of_a_walk_keeps_what_was_read_and_continues_where_its_columns_stopped() throws Exception {
        SnmpWalker probe = new SnmpWalker(List.of(Mibs.BGP_LOCAL_AS), List.of(Mibs.IF_DESCR, Mibs.CPM_CPU_TOTAL_5SEC_REV), 1, 1);
        SnmpWalker.Request request = probe.next();
        assertEquals(new SnmpWalker.Request(List.of(Mibs.BGP_LOCAL_AS, Mibs.IF_DESCR, Mibs.CPM_CPU_TOTAL_5SEC_REV), 1, 1), request);
        probe.accept(List.of(
                new VariableBinding(new OID("1.3.6.1.2.1.15.2.0"), new Integer32(65101)),
                new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.2.1"), new OctetString("a")),
                new VariableBinding(new OID("1.3.6.1.4.1.2021.4.1.0"), new Integer32(0)))); // no CISCO-PROCESS-MIB
        assertTrue(probe.open(Mibs.IF_DESCR));
        assertTrue(!probe.open(Mibs.CPM_CPU_TOTAL_5SEC_REV));

        SnmpWalker absent = probe.part(List.of(), List.of(Mibs.CPM_CPU_TOTAL_5SEC_REV), 25, 25);
        assertNull(absent.next()); // nothing more to ask
        SnmpWalker bgp = probe.part(List.of(Mibs.BGP_LOCAL_AS), List.of(), 25, 25);
        assertNull(bgp.next());
        assertEquals(new Integer32(65101), bgp.table().scalar(Mibs.BGP_LOCAL_AS));

        SnmpWalker interfaces = probe.part(List.of(), List.of(Mibs.IF_DESCR), 3, 25);
        assertEquals(new OctetString("a"), interfaces.table().column(Mibs.IF_DESCR).get(new OID("1")));
        assertEquals(new SnmpWalker.Request(List.of(new OID("1.3.6.1.2.1.2.2.1.2.1")), 0, 3), interfaces.next());
        interfaces.accept(List.of(
                new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.2.2"), new OctetString("b")),
                new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.3.1"), new Integer32(6))));
        assertNull(interfaces.next());
        assertEquals(2, interfaces.table().column(Mibs.IF_DESCR).size());
    }

    static RecordedAgent linuxHost() {
        return threeRowTable()
                .with("1.3.6.1.2.1.2.1.0", new Integer32(3)) // ifNumber
                .with("1.3.6.1.2.1.31.1.1.1.1.1", new OctetString("lo"))
                .with("1.3.6.1.2.1.31.1.1.1.1.2", new OctetString("eth0"))
                .with("1.3.6.1.2.1.31.1.1.1.1.3", new OctetString("eth1"))
                .with("1.3.6.1.2.1.31.1.1.1.6.1", new Counter64(10))
                .with("1.3.6.1.2.1.31.1.1.1.6.2", new Counter64(20))
                .with("1.3.6.1.2.1.31.1.1.1.6.3", new Counter64(30))
                .with("1.3.6.1.2.1.25.1.6.0", new Gauge32(72))
                .with("1.3.6.1.4.1.2021.4.1.0", new Integer32(0));
    }

    static TargetReading pollOne(RecordedAgent agent, int maxRepetitions) throws Exception {
        List<TargetReading> readings = TargetPoller.poll(List.of(TargetAddress.parse(SW)), target -> agent, maxRepetitions);
        assertEquals(1, readings.size());
        return readings.get(0);
    }

    @Test
    void poll_probes_once_then_walks_only_the_tables_the_agent_has_asking_for_ifnumber_rows() throws Exception {
        RecordedAgent agent = linuxHost();
        TargetReading reading = pollOne(agent, 25);
        assertTrue(reading.up());
        assertEquals(Map.of(), reading.errors());
        assertEquals(new OctetString("c"), reading.table(PollGroup.INTERFACES).column(Mibs.IF_DESCR).get(new OID("3")));
        assertEquals(3, reading.table(PollGroup.INTERFACES).column(Mibs.IF_NAME).size());
        assertEquals(new Counter64(30), reading.table(PollGroup.COUNTERS).column(Mibs.IF_HC_IN_OCTETS).get(new OID("3")));
        assertEquals(new Integer32(65101), reading.table(PollGroup.BGP).scalar(Mibs.BGP_LOCAL_AS));
        assertTrue(reading.table(PollGroup.BGP).column(Mibs.BGP_PEER_STATE).isEmpty());
        assertEquals(new Gauge32(72), reading.table(PollGroup.SYSTEM).scalar(Mibs.HR_SYSTEM_PROCESSES));
        int columns = 0;
        for (PollGroup group : PollGroup.values()) {
            columns += group.columns.size();
        }
        // one GETNEXT of everything, then ifNumber rows (the 2 left and the end) of the 3 columns that have rows;
        // BGP4-MIB and the CISCO MIBs, absent, cost nothing more
        assertEquals(List.of((4 + columns) + " oids, 4 non-repeaters, 1 repetitions",
                "3 oids, 0 non-repeaters, 3 repetitions", "1 oids, 0 non-repeaters, 3 repetitions"), agent.requests);
        assertEquals(4, reading.seconds().size());
    }

    @Test
    void poll_reads_the_same_when_the_agent_refuses_the_probe_as_too_big() throws Exception {
        RecordedAgent agent = linuxHost();
        agent.tooBigAbove = 20; // the probe asks for 34 columns
        TargetReading reading = pollOne(agent, 2);
        assertEquals(Map.of(), reading.errors());
        assertEquals(3, reading.table(PollGroup.INTERFACES).column(Mibs.IF_DESCR).size());
        assertEquals(3, reading.table(PollGroup.COUNTERS).column(Mibs.IF_HC_IN_OCTETS).size());
        assertEquals(new Integer32(65101), reading.table(PollGroup.BGP).scalar(Mibs.BGP_LOCAL_AS));
        assertEquals(new Gauge32(72), reading.table(PollGroup.SYSTEM).scalar(Mibs.HR_SYSTEM_PROCESSES));
    }

    @Test
    void poll_of_a_target_that_does_not_answer_fails_every_group_with_its_reason_after_one_request() throws Exception {
        List<String> requests = new ArrayList<>();
        SnmpClient dead = (oids, nonRepeaters, maxRepetitions) -> {
            requests.add(oids.size() + " oids");
            throw new IOException("no answer within 1 s × 3 tries");
        };
        List<TargetReading> readings = TargetPoller.poll(List.of(TargetAddress.parse(SW), TargetAddress.parse("sw2")),
                target -> target.host().equals("sw2") ? threeRowTable() : dead, 25);
        assertTrue(!readings.get(0).up());
        assertEquals(4, readings.get(0).errors().size());
        assertEquals("no answer within 1 s × 3 tries", readings.get(0).errors().get(PollGroup.BGP));
        assertEquals(1, requests.size());
        assertTrue(readings.get(1).up());
        assertEquals(3, readings.get(1).table(PollGroup.INTERFACES).column(Mibs.IF_DESCR).size());
    }

    // ---- mapping ----

    static SnmpTable nexusInterfaces() {
        SnmpTable t = new SnmpTable();
        port(t, "436207616", "Ethernet1/1", 6, "003a9c5a1b08", 1, 1, 10000, "spine01 Eth1/49", 1);
        port(t, "436211712", "Ethernet1/2", 6, "003a9c5a1b09", 1, 2, 25000, "", 2);
        port(t, "436215808", "Ethernet1/3", 6, "003a9c5a1b0a", 2, 2, 10000, "spare", null);
        port(t, "436219904", "Ethernet1/4", 6, "003a9c5a1b0b", 3, 7, 10000, "lab", null);
        port(t, "335544320", "loopback0", 24, "", 1, 1, 8000, "router-id", null);
        port(t, "151060490", "Vlan10", 53, "003a9c5a1b07", 1, 1, 1000, "servers", null);
        port(t, "151060491", "Vlan11", 53, "003a9c5a1b07", 2, 2, 1000, "", null);
        port(t, "1224736769", "nve1", 53, "003a9c5a1b07", 1, 1, 0, "", null); // propVirtual, not named Vlan
        return t;
    }

    static void port(SnmpTable t, String index, String name, int type, String mac, int admin, int oper, long speed,
            String alias, Integer trunk) {
        t.put(Mibs.IF_DESCR, index, new OctetString(name));
        t.put(Mibs.IF_NAME, index, new OctetString(name));
        t.put(Mibs.IF_TYPE, index, new Integer32(type));
        t.put(Mibs.IF_PHYS_ADDRESS, index, mac(mac));
        t.put(Mibs.IF_ADMIN_STATUS, index, new Integer32(admin));
        t.put(Mibs.IF_OPER_STATUS, index, new Integer32(oper));
        t.put(Mibs.IF_HIGH_SPEED, index, new Gauge32(speed));
        t.put(Mibs.IF_ALIAS, index, new OctetString(alias));
        if (trunk != null) {
            t.put(Mibs.VLAN_TRUNK_PORT_DYNAMIC_STATUS, index, new Integer32(trunk));
        }
    }

    static OctetString mac(String hex) {
        return new OctetString(HexFormat.of().parseHex(hex));
    }

    static SnmpTable nexusCounters() {
        SnmpTable t = new SnmpTable();
        t.put(Mibs.IF_HC_IN_OCTETS, "436207616", new Counter64(9876543210123L));
        t.put(Mibs.IF_HC_OUT_OCTETS, "436207616", new Counter64(-2L)); // 2^64 - 2: unsigned, past Java's long
        t.put(Mibs.IF_HC_IN_UCAST_PKTS, "436207616", new Counter64(7000000000L));
        t.put(Mibs.IF_HC_IN_MULTICAST_PKTS, "436207616", new Counter64(1234567));
        t.put(Mibs.IF_HC_IN_BROADCAST_PKTS, "436207616", new Counter64(89012));
        t.put(Mibs.IF_HC_OUT_UCAST_PKTS, "436207616", new Counter64(10));
        t.put(Mibs.IF_IN_ERRORS, "436207616", new Counter32(2));
        t.put(Mibs.IF_OUT_DISCARDS, "436207616", new Counter32(5));
        t.put(Mibs.IF_HC_IN_OCTETS, "151060490", new Counter64(5500000000L));
        t.put(Mibs.IF_HC_IN_UCAST_PKTS, "151060490", new Counter64(41000000));
        t.put(Mibs.IF_HC_IN_BROADCAST_PKTS, "151060490", new Counter64(300));
        return t;
    }

    static SnmpTable nexusBgp() {
        SnmpTable t = new SnmpTable();
        t.put(Mibs.BGP_LOCAL_AS, "0", new Integer32(65101));
        t.put(Mibs.BGP_IDENTIFIER, "0", new IpAddress("10.255.0.11"));
        int state = 0;
        for (String peer : List.of("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.7")) {
            t.put(Mibs.BGP_PEER_STATE, peer, new Integer32(++state)); // idle(1) .. established(6), then 7
            t.put(Mibs.BGP_PEER_REMOTE_AS, peer, new Integer32(65000 + state));
            t.put(Mibs.BGP_PEER_IN_TOTAL_MESSAGES, peer, new Counter32(100L * state));
            t.put(Mibs.BGP_PEER_OUT_TOTAL_MESSAGES, peer, new Counter32(200L * state));
        }
        return t;
    }

    static SnmpTable nexusSystem() {
        SnmpTable t = new SnmpTable();
        t.put(Mibs.HR_SYSTEM_PROCESSES, "0", new Gauge32(734));
        for (String cpu : List.of("1", "2")) { // a second CPU row must not be mixed in
            int offset = cpu.equals("1") ? 0 : 50;
            t.put(Mibs.CPM_CPU_TOTAL_5SEC_REV, cpu, new Gauge32(9 + offset));
            t.put(Mibs.CPM_CPU_TOTAL_1MIN_REV, cpu, new Gauge32(12 + offset));
            t.put(Mibs.CPM_CPU_TOTAL_5MIN_REV, cpu, new Gauge32(10 + offset));
            t.put(Mibs.CPM_CPU_MEMORY_USED, cpu, new Gauge32(6291456 + offset));
            t.put(Mibs.CPM_CPU_MEMORY_FREE, cpu, new Gauge32(10485760 + offset));
        }
        return t;
    }

    static TargetReading reading(String instance, SnmpTable interfaces, SnmpTable counters, SnmpTable bgp, SnmpTable system) {
        Map<PollGroup, SnmpTable> tables = new EnumMap<>(PollGroup.class);
        Map<PollGroup, Double> seconds = new EnumMap<>(PollGroup.class);
        tables.put(PollGroup.INTERFACES, interfaces);
        tables.put(PollGroup.COUNTERS, counters);
        tables.put(PollGroup.BGP, bgp);
        tables.put(PollGroup.SYSTEM, system);
        double s = 0.001;
        for (PollGroup group : PollGroup.values()) {
            seconds.put(group, s);
            s += 0.001;
        }
        return new TargetReading(instance, tables, seconds, Map.of());
    }

    static CollectorRegistry registry(TargetReading... readings) {
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(CiscoMetrics.collector(CiscoMetrics.families(List.of(readings))));
        return registry;
    }

    static CollectorRegistry nexus() {
        return registry(reading(SW, nexusInterfaces(), nexusCounters(), nexusBgp(), nexusSystem()));
    }

    @Test
    void ethernet_ports_map_states_bandwidth_and_mode() {
        CollectorRegistry r = nexus();
        String[] e11 = {SW, "Ethernet1/1", "003a.9c5a.1b08", "spine01 Eth1/49"};
        assertEquals(1.0, r.getSampleValue("cisco_eth_state", ETH, e11));
        assertEquals(1.0, r.getSampleValue("cisco_eth_admin_state", ETH, e11));
        assertEquals(10000.0, r.getSampleValue("cisco_eth_bw", ETH, e11));
        assertEquals(1.0, r.getSampleValue("cisco_eth_mode", ETH, e11));
        String[] e12 = {SW, "Ethernet1/2", "003a.9c5a.1b09", "unknown"}; // empty ifAlias
        assertEquals(0.0, r.getSampleValue("cisco_eth_state", ETH, e12));
        assertEquals(0.0, r.getSampleValue("cisco_eth_mode", ETH, e12));
        assertEquals(25000.0, r.getSampleValue("cisco_eth_bw", ETH, e12));
        String[] e13 = {SW, "Ethernet1/3", "003a.9c5a.1b0a", "spare"};
        assertEquals(0.0, r.getSampleValue("cisco_eth_admin_state", ETH, e13));
        assertNull(r.getSampleValue("cisco_eth_mode", ETH, e13)); // no CISCO-VTP-MIB row: left out
        String[] e14 = {SW, "Ethernet1/4", "003a.9c5a.1b0b", "lab"}; // testing(3), lowerLayerDown(7)
        assertEquals(-1.0, r.getSampleValue("cisco_eth_state", ETH, e14));
        assertEquals(-1.0, r.getSampleValue("cisco_eth_admin_state", ETH, e14));
        assertEquals(1.0, r.getSampleValue("cisco_eth_state", ETH, new String[] {SW, "loopback0", "unknown", "router-id"}));
    }

    @Test
    void ethernet_counters_are_the_devices_values_unsigned_and_summed() {
        CollectorRegistry r = nexus();
        String[] e11 = {SW, "Ethernet1/1", "spine01 Eth1/49"};
        assertEquals(9876543210123.0, r.getSampleValue("cisco_eth_inbytes_total", ETH_COUNTER, e11));
        assertEquals(18446744073709551614.0, r.getSampleValue("cisco_eth_outbytes_total", ETH_COUNTER, e11));
        assertEquals(7000000000.0 + 1234567 + 89012, r.getSampleValue("cisco_eth_inpkts_total", ETH_COUNTER, e11));
        assertEquals(10.0, r.getSampleValue("cisco_eth_outpkts_total", ETH_COUNTER, e11)); // only unicast known
        assertEquals(2.0, r.getSampleValue("cisco_eth_inerr_total", ETH_COUNTER, e11));
        assertEquals(5.0, r.getSampleValue("cisco_eth_outdiscard_total", ETH_COUNTER, e11));
        assertNull(r.getSampleValue("cisco_eth_indiscard_total", ETH_COUNTER, e11)); // the device did not say
        assertNull(r.getSampleValue("cisco_eth_inbytes_total", ETH_COUNTER, new String[] {SW, "Ethernet1/3", "spare"}));
    }

    @Test
    void svis_are_vlan_names_or_prop_virtual_and_only_svi_metrics() {
        CollectorRegistry r = nexus();
        String[] vlan10 = {SW, "Vlan10", "003a.9c5a.1b07"};
        assertEquals(1.0, r.getSampleValue("cisco_svi_state", SVI, vlan10));
        assertEquals(1.0, r.getSampleValue("cisco_svi_admin_state", SVI, vlan10));
        assertEquals(1000.0, r.getSampleValue("cisco_svi_bw", SVI, vlan10));
        assertEquals(5500000000.0, r.getSampleValue("cisco_svi_total_bytes_in_total", new String[] {"instance", "interface"},
                new String[] {SW, "Vlan10"}));
        assertEquals(41000300.0, r.getSampleValue("cisco_svi_total_pkts_in_total", new String[] {"instance", "interface"},
                new String[] {SW, "Vlan10"}));
        assertEquals(0.0, r.getSampleValue("cisco_svi_admin_state", SVI, new String[] {SW, "Vlan11", "003a.9c5a.1b07"}));
        assertEquals(1.0, r.getSampleValue("cisco_svi_state", SVI, new String[] {SW, "nve1", "003a.9c5a.1b07"}));
        assertNull(r.getSampleValue("cisco_eth_state", ETH, new String[] {SW, "Vlan10", "003a.9c5a.1b07", "servers"}));
        assertTrue(InterfaceMetrics.isSvi("Vlan1", null));
        assertTrue(!InterfaceMetrics.isSvi("Ethernet1/1", new Integer32(6)));
    }

    @Test
    void bgp_peer_states_use_the_originals_numbering_and_carry_as_and_router_id() {
        CollectorRegistry r = nexus();
        double[] expected = {0, 1, 2, 3, 4, 5, -1}; // idle .. established, then an unknown state (7)
        for (int i = 0; i < expected.length; i++) {
            String[] peer = {SW, "10.0.0." + (i + 1), Integer.toString(65001 + i), "65101", "10.255.0.11"};
            assertEquals(expected[i], r.getSampleValue("cisco_bgp_saf_neighbor_state", BGP, peer), peer[1]);
            assertEquals(100.0 * (i + 1), r.getSampleValue("cisco_bgp_saf_neighbor_msgrecvd", BGP, peer));
            assertEquals(200.0 * (i + 1), r.getSampleValue("cisco_bgp_saf_neighbor_msgsent", BGP, peer));
        }
        SnmpTable noScalars = new SnmpTable().put(Mibs.BGP_PEER_STATE, "192.0.2.1", new Integer32(6));
        CollectorRegistry partial = registry(reading(SW, new SnmpTable(), new SnmpTable(), noScalars, new SnmpTable()));
        assertEquals(5.0, partial.getSampleValue("cisco_bgp_saf_neighbor_state", BGP,
                new String[] {SW, "192.0.2.1", "unknown", "unknown", "unknown"}));
    }

    @Test
    void system_reads_the_first_cpu_row_memory_in_kib_and_processes() {
        CollectorRegistry r = nexus();
        String[] labels = {"instance", "interval"};
        assertEquals(9.0, r.getSampleValue("cisco_cpu_busy_percent", labels, new String[] {SW, "5s"}));
        assertEquals(12.0, r.getSampleValue("cisco_cpu_busy_percent", labels, new String[] {SW, "1m"}));
        assertEquals(10.0, r.getSampleValue("cisco_cpu_busy_percent", labels, new String[] {SW, "5m"}));
        String[] instance = {"instance"};
        assertEquals(6291456.0, r.getSampleValue("cisco_memory_usage_used", instance, new String[] {SW}));
        assertEquals(10485760.0, r.getSampleValue("cisco_memory_usage_free", instance, new String[] {SW}));
        assertEquals(16777216.0, r.getSampleValue("cisco_memory_usage_total", instance, new String[] {SW}));
        assertEquals(734.0, r.getSampleValue("cisco_processes_total", instance, new String[] {SW}));
        // a Linux host: processes, and no Cisco CPU or memory
        SnmpTable linux = new SnmpTable().put(Mibs.HR_SYSTEM_PROCESSES, "0", new Gauge32(71));
        CollectorRegistry host = registry(reading("h", new SnmpTable(), new SnmpTable(), new SnmpTable(), linux));
        assertEquals(71.0, host.getSampleValue("cisco_processes_total", instance, new String[] {"h"}));
        assertNull(host.getSampleValue("cisco_memory_usage_total", instance, new String[] {"h"}));
    }

    @Test
    void a_target_that_did_not_answer_is_up_0_with_its_runtimes_and_nothing_else() {
        Map<PollGroup, Double> seconds = new EnumMap<>(PollGroup.class);
        for (PollGroup group : PollGroup.values()) {
            seconds.put(group, 3.0);
        }
        TargetReading dead = new TargetReading("dead:161", Map.of(), seconds, Map.of(PollGroup.INTERFACES, "no answer"));
        CollectorRegistry r = registry(reading(SW, nexusInterfaces(), nexusCounters(), nexusBgp(), nexusSystem()), dead);
        String[] instance = {"instance"};
        assertEquals(0.0, r.getSampleValue("cisco_up", instance, new String[] {"dead:161"}));
        assertEquals(1.0, r.getSampleValue("cisco_up", instance, new String[] {SW}));
        String[] runtime = {"instance", "command"};
        assertEquals(3.0, r.getSampleValue("cisco_command_runtime", runtime, new String[] {"dead:161", "bgp"}));
        assertEquals(0.002, r.getSampleValue("cisco_command_runtime", runtime, new String[] {SW, "counters"}));
        assertNull(r.getSampleValue("cisco_processes_total", instance, new String[] {"dead:161"}));
    }

    @Test
    void values_and_labels_from_snmp_types() {
        assertEquals("003a.9c5a.1b08", SnmpValues.ciscoMac(mac("003a9c5a1b08")));
        assertEquals("unknown", SnmpValues.ciscoMac(new OctetString()));
        assertEquals("unknown", SnmpValues.ciscoMac(null));
        assertEquals("Küche Etage 2", SnmpValues.textOrUnknown(new OctetString("Küche Etage 2".getBytes(StandardCharsets.UTF_8))));
        assertEquals("unknown", SnmpValues.textOrUnknown(new OctetString(" ")));
        assertTrue(Double.isNaN(SnmpValues.number(Null.noSuchInstance)));
        assertTrue(Double.isNaN(SnmpValues.number(new OctetString("12"))));
        assertEquals(4294967295.0, SnmpValues.number(new Counter32(4294967295L)));
        assertEquals(-5.0, SnmpValues.number(new Integer32(-5)));
        assertTrue(Snmp4jSession.describeReport(new OID("1.3.6.1.6.3.15.1.1.5.0")).contains("wrong digest"));
        assertTrue(Snmp4jSession.describeReport(new OID("1.3.6.1.6.3.15.1.1.3.0")).contains("unknown user name"));
    }

    @Test
    void targets_parse_host_port_and_ipv6_and_keep_their_text_as_instance() {
        assertEquals(new TargetAddress("core-sw01", "core-sw01", 161), TargetAddress.parse("core-sw01"));
        assertEquals(new TargetAddress("10.0.0.1:1161", "10.0.0.1", 1161), TargetAddress.parse("10.0.0.1:1161"));
        assertEquals(new TargetAddress("[2001:db8::1]:162", "2001:db8::1", 162), TargetAddress.parse("[2001:db8::1]:162"));
        assertEquals(new TargetAddress("2001:db8::1", "2001:db8::1", 161), TargetAddress.parse("2001:db8::1"));
        for (String bad : List.of("", "sw:0", "sw:70000", "sw:x", "http://sw", "a b")) {
            assertThrows(IllegalArgumentException.class, () -> TargetAddress.parse(bad), bad);
        }
    }

    @Test
    void the_test_runner_pins_the_same_snmp4j_as_the_exporter() throws Exception {
        String dep = "//DEPS org.snmp4j:snmp4j:";
        String exporter = Files.readAllLines(Project.root().resolve("exporters/cisco/cisco.java")).stream()
                .filter(l -> l.startsWith(dep)).findFirst().orElseThrow();
        assertTrue(Files.readAllLines(Project.root().resolve("tests/run.java")).contains(exporter), exporter);
    }
}
