import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    static final String[] SVI_COUNTER = {"instance", "interface"};
    static final String[] BGP = {"instance", "af_id", "neighborid", "router_id", "local_as", "neighboras", "safi"};
    static final String[] BGP_FAMILY = {"instance", "af_id", "router_id", "local_as", "safi"};
    static final String[] CPU = {"instance", "cpu", "interval"};
    static final String[] INSTANCE = {"instance"};
    static final String SW = "sw1:1161";

    // ---- walking ----

    /**
     * Answers GETBULK and GET from a sorted list of bindings, as an agent would, and records every request.
     * Faults: an error-status for any request naming an OID under {@code refused} (with its error-index, or
     * 0), NULL values echoed for the OIDs under {@code nulls}.
     */
    static final class RecordedAgent implements SnmpClient {
        final List<VariableBinding> mib = new ArrayList<>();
        final List<String> requests = new ArrayList<>();
        final List<List<OID>> asked = new ArrayList<>();
        int maxBindings = Integer.MAX_VALUE; // an agent's response size limit: it truncates
        int tooBigAbove = Integer.MAX_VALUE; // an agent that answers tooBig instead of truncating
        OID refused;
        int refusedStatus = 5; // genErr
        boolean refusalNamesTheBinding = true;
        OID nulls;

        RecordedAgent with(String oid, Variable value) {
            mib.add(new VariableBinding(new OID(oid), value));
            mib.sort((a, b) -> a.getOid().compareTo(b.getOid()));
            return this;
        }

        @Override
        public List<VariableBinding> getBulk(List<OID> oids, int nonRepeaters, int maxRepetitions) throws IOException {
            requests.add(oids.size() + " oids, " + nonRepeaters + " non-repeaters, " + maxRepetitions + " repetitions");
            asked.add(List.copyOf(oids));
            refuse(oids);
            if ((oids.size() - nonRepeaters) * maxRepetitions > tooBigAbove) {
                throw new SnmpClient.AgentError(SnmpClient.AgentError.TOO_BIG, 0);
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

        @Override
        public List<VariableBinding> get(List<OID> oids) throws IOException {
            requests.add("GET " + oids.size() + " oids");
            refuse(oids);
            List<VariableBinding> answer = new ArrayList<>();
            for (OID oid : oids) {
                answer.add(mib.stream().filter(b -> b.getOid().equals(oid)).findFirst()
                        .orElseGet(() -> new VariableBinding(oid, Null.noSuchInstance)));
            }
            return answer;
        }

        private void refuse(List<OID> oids) throws SnmpClient.AgentError {
            for (int i = 0; refused != null && i < oids.size(); i++) {
                if (oids.get(i).startsWith(refused)) {
                    throw new SnmpClient.AgentError(refusedStatus, refusalNamesTheBinding ? i + 1 : 0);
                }
            }
        }

        private VariableBinding next(OID after) {
            if (nulls != null && after.startsWith(nulls)) {
                return new VariableBinding(after, Null.instance); // the request echoed: "OID not increasing"
            }
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
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void a_column_whose_oids_go_backwards_is_left_out_as_malformed_instead_of_looping() throws Exception {
        SnmpClient looping = (oids, nonRepeaters, maxRepetitions) ->
                List.of(new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.2.5"), new OctetString("x")));
        SnmpWalker walker = new SnmpWalker(List.of(), List.of(Mibs.IF_DESCR), 1, 1);
        walker.run(looping);
        assertTrue(walker.table().column(Mibs.IF_DESCR).isEmpty(), "its rows go with it");
        assertEquals(List.of("IF-MIB ifDescr (1.3.6.1.2.1.2.2.1.2): malformed answer: OID not increasing "
                + "(1.3.6.1.2.1.2.2.1.2.5 after 1.3.6.1.2.1.2.2.1.2.5)"), List.copyOf(walker.failures().values()));
    }

    @Test
    void a_column_echoed_with_null_values_is_left_out_and_named_the_others_read() throws Exception {
        RecordedAgent agent = threeRowTable();
        agent.nulls = Mibs.IF_TYPE;
        SnmpWalker walker = new SnmpWalker(List.of(Mibs.BGP_LOCAL_AS), List.of(Mibs.IF_DESCR, Mibs.IF_TYPE), 25, 25);
        walker.run(agent);
        assertEquals(3, walker.table().column(Mibs.IF_DESCR).size());
        assertEquals(new Integer32(65101), walker.table().scalar(Mibs.BGP_LOCAL_AS));
        assertTrue(walker.table().column(Mibs.IF_TYPE).isEmpty());
        assertEquals(Map.of(Mibs.IF_TYPE, "IF-MIB ifType (1.3.6.1.2.1.2.2.1.3): malformed answer: "
                + "1.3.6.1.2.1.2.2.1.3 with a NULL value"), walker.failures());
    }

    @Test
    void a_scalar_echoed_with_a_null_value_is_a_failure_not_an_absent_value() throws Exception {
        RecordedAgent agent = threeRowTable();
        agent.nulls = Mibs.BGP_LOCAL_AS;
        SnmpWalker walker = new SnmpWalker(List.of(Mibs.BGP_LOCAL_AS), List.of(Mibs.IF_DESCR), 25, 25);
        walker.run(agent);
        assertNull(walker.table().scalar(Mibs.BGP_LOCAL_AS));
        assertTrue(walker.failures().get(Mibs.BGP_LOCAL_AS).contains("malformed answer"), walker.failures().toString());
        assertEquals(3, walker.table().column(Mibs.IF_DESCR).size());
    }

    @Test
    void an_error_naming_one_binding_costs_only_that_column() throws Exception {
        RecordedAgent agent = threeRowTable();
        agent.refused = Mibs.IF_TYPE;
        SnmpWalker walker = new SnmpWalker(List.of(Mibs.BGP_LOCAL_AS), List.of(Mibs.IF_DESCR, Mibs.IF_TYPE), 25, 25);
        walker.run(agent);
        assertEquals(3, walker.table().column(Mibs.IF_DESCR).size());
        assertEquals(new Integer32(65101), walker.table().scalar(Mibs.BGP_LOCAL_AS));
        assertEquals(Map.of(Mibs.IF_TYPE, "IF-MIB ifType (1.3.6.1.2.1.2.2.1.3): the agent answered genErr"),
                walker.failures());
        // refused once, asked again without it
        assertEquals(List.of("3 oids, 1 non-repeaters, 25 repetitions", "2 oids, 1 non-repeaters, 25 repetitions"),
                agent.requests);
    }

    @Test
    void an_error_naming_no_binding_is_narrowed_down_to_the_column_at_fault() throws Exception {
        RecordedAgent agent = threeRowTable();
        agent.refused = Mibs.IF_TYPE;
        agent.refusalNamesTheBinding = false;
        SnmpWalker walker = new SnmpWalker(List.of(Mibs.BGP_LOCAL_AS),
                List.of(Mibs.IF_DESCR, Mibs.IF_TYPE, new OID("1.3.6.1.2.1.2.2.1.4")), 25, 25);
        walker.run(agent);
        assertEquals(3, walker.table().column(Mibs.IF_DESCR).size());
        assertEquals(1, walker.table().column(new OID("1.3.6.1.2.1.2.2.1.4")).size());
        assertEquals(Set.of(Mibs.IF_TYPE), walker.failures().keySet());
        assertTrue(walker.failures().get(Mibs.IF_TYPE).contains("genErr (error-index 0)"), walker.failures().toString());
        assertTrue(agent.requests.size() <= 6, agent.requests.toString());
    }

    @Test
    void an_agent_refusing_everything_ends_the_walk_after_a_bounded_number_of_requests() {
        RecordedAgent agent = threeRowTable();
        agent.refused = new OID("1.3");
        List<OID> columns = new ArrayList<>();
        for (int c = 1; c <= 30; c++) {
            columns.add(new OID("1.3.6.1.2.1.2.2.1." + c));
        }
        IOException e = assertThrows(IOException.class, () -> SnmpWalker.walk(agent, List.of(), columns, 25));
        assertEquals("the agent refused 8 requests in a row, the last with genErr", e.getMessage());
        assertEquals(SnmpWalker.MAX_REFUSALS + 1, agent.requests.size());
    }

    @Test
    void walk_of_a_missing_mib_is_empty_not_an_error() throws Exception {
        SnmpTable table = SnmpWalker.walk(threeRowTable(), List.of(Mibs.HR_SYSTEM_PROCESSES),
                List.of(Mibs.CPM_CPU_TOTAL_5SEC_REV), 25);
        assertTrue(table.column(Mibs.CPM_CPU_TOTAL_5SEC_REV).isEmpty());
        assertNull(table.scalar(Mibs.HR_SYSTEM_PROCESSES));
    }

    @Test
    void walk_passes_on_a_timeout() {
        SnmpClient silent = (oids, nonRepeaters, maxRepetitions) -> {
            throw new IOException("timeout: no answer in 3 tries of 1 s");
        };
        IOException e = assertThrows(IOException.class, () -> SnmpWalker.walk(silent, List.of(), List.of(Mibs.IF_DESCR), 25));
        assertEquals("timeout: no answer in 3 tries of 1 s", e.getMessage());
    }

    @Test
    void walk_of_an_agent_that_answers_nothing_gives_up_instead_of_asking_forever() throws Exception {
        SnmpClient empty = (oids, nonRepeaters, maxRepetitions) -> List.of();
        SnmpWalker walker = new SnmpWalker(List.of(Mibs.HR_SYSTEM_PROCESSES), List.of(Mibs.IF_DESCR), 25, 25);
        walker.run(empty); // halved to single OIDs, each then left out
        assertEquals(Set.of(Mibs.HR_SYSTEM_PROCESSES, Mibs.IF_DESCR), walker.failures().keySet());
        assertTrue(walker.failures().get(Mibs.IF_DESCR).contains("malformed answer: 0 values for 1 OIDs"));
    }

    @Test
    void get_reads_single_instances_and_leaves_out_those_not_there() throws Exception {
        RecordedAgent agent = threeRowTable();
        SnmpWalker walker = new SnmpWalker(List.of(), List.of(), 1, 25);
        walker.get(Mibs.IF_DESCR, new OID("2"));
        walker.get(Mibs.IF_DESCR, new OID("9"));
        walker.run(agent);
        assertEquals(Map.of(new OID("2"), new OctetString("b")), walker.table().column(Mibs.IF_DESCR));
        assertEquals(List.of("GET 2 oids"), agent.requests);
        assertEquals(Map.of(), walker.failures());
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
        assertTrue(probe.probed());
        assertTrue(probe.open(Mibs.IF_DESCR));
        assertFalse(probe.open(Mibs.CPM_CPU_TOTAL_5SEC_REV));

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

    // ---- polling: the probe, then the groups ----

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

    static int probeColumns() {
        int columns = 0;
        for (PollGroup group : PollGroup.values()) {
            columns += group.probed.size();
        }
        return columns;
    }

    @Test
    void poll_probes_once_then_walks_only_the_tables_the_agent_has_asking_for_ifnumber_rows() throws Exception {
        RecordedAgent agent = linuxHost();
        TargetReading reading = pollOne(agent, 25);
        assertTrue(reading.up());
        assertEquals(Map.of(), reading.errors());
        for (PollGroup group : PollGroup.values()) {
            assertTrue(reading.succeeded(group), group.command);
        }
        assertEquals(new OctetString("c"), reading.table(PollGroup.INTERFACES).column(Mibs.IF_DESCR).get(new OID("3")));
        assertEquals(3, reading.table(PollGroup.INTERFACES).column(Mibs.IF_NAME).size());
        assertEquals(new Counter64(30), reading.table(PollGroup.COUNTERS).column(Mibs.IF_HC_IN_OCTETS).get(new OID("3")));
        assertEquals(new Integer32(65101), reading.table(PollGroup.BGP).scalar(Mibs.BGP_LOCAL_AS));
        assertTrue(reading.table(PollGroup.BGP).column(Mibs.BGP_PEER_STATE).isEmpty());
        assertEquals(new Gauge32(72), reading.table(PollGroup.SYSTEM).scalar(Mibs.HR_SYSTEM_PROCESSES));
        // one GETNEXT of everything, then ifNumber rows (the 2 left and the end) of the 3 interface columns that have
        // rows, and of the counters: ifHCInOctets, with the fallbacks of what the probe found absent (ifHCOutOctets:
        // ifOutOctets; CISCO-IF-EXTENSION-MIB: EtherLike-MIB) in the same request; BGP4-MIB and the CISCO MIBs,
        // absent, cost nothing more
        assertEquals(List.of((5 + probeColumns()) + " oids, 5 non-repeaters, 1 repetitions",
                "3 oids, 0 non-repeaters, 3 repetitions", "3 oids, 0 non-repeaters, 3 repetitions"), agent.requests);
        assertTrue(agent.asked.get(2).containsAll(List.of(Mibs.DOT3_STATS_FRAME_TOO_LONGS, Mibs.IF_OUT_OCTETS)),
                agent.asked.toString());
        assertFalse(agent.asked.get(0).contains(Mibs.IF_OUT_OCTETS), "not probed");
        assertEquals(4, reading.seconds().size());
    }

    @Test
    void poll_reads_the_same_when_the_agent_refuses_the_probe_as_too_big() throws Exception {
        RecordedAgent agent = linuxHost();
        agent.tooBigAbove = 20; // the probe asks for every column at once
        TargetReading reading = pollOne(agent, 2);
        assertEquals(Map.of(), reading.errors());
        assertTrue(reading.up());
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
            throw new SnmpClient.Timeout("timeout: no answer in 3 tries of 1 s", "no SNMP agent there, or a wrong community");
        };
        List<TargetReading> readings = TargetPoller.poll(List.of(TargetAddress.parse(SW), TargetAddress.parse("sw2")),
                target -> target.host().equals("sw2") ? threeRowTable() : dead, 25);
        assertFalse(readings.get(0).up());
        assertEquals(4, readings.get(0).errors().size());
        assertEquals("timeout: no answer in 3 tries of 1 s (no SNMP agent there, or a wrong community)",
                readings.get(0).errors().get(PollGroup.BGP));
        assertEquals(1, requests.size());
        assertTrue(readings.get(1).up());
        assertEquals(3, readings.get(1).table(PollGroup.INTERFACES).column(Mibs.IF_DESCR).size());
    }

    @Test
    void the_probe_leaves_out_the_peer_tables_other_columns_and_walks_them_when_the_table_has_rows() throws Exception {
        RecordedAgent agent = linuxHost()
                .with("1.3.6.1.4.1.9.9.187.1.2.5.1.3.1.4.10.0.0.1", new Integer32(6))
                .with("1.3.6.1.4.1.9.9.187.1.2.5.1.11.1.4.10.0.0.1", new Gauge32(4200000002L));
        TargetReading reading = pollOne(agent, 25);
        List<OID> probe = agent.asked.get(0);
        assertTrue(probe.contains(Mibs.CBGP_PEER2_STATE));
        assertFalse(probe.contains(Mibs.CBGP_PEER2_REMOTE_AS), "a companion is not probed");
        assertFalse(probe.contains(Mibs.BGP_PEER_REMOTE_AS));
        assertEquals(new Gauge32(4200000002L), reading.table(PollGroup.BGP).column(Mibs.CBGP_PEER2_REMOTE_AS)
                .get(new OID("1.4.10.0.0.1")), "walked: its table has rows");
        RecordedAgent noBgp = linuxHost();
        pollOne(noBgp, 25);
        assertFalse(noBgp.asked.stream().flatMap(List::stream).anyMatch(o -> o.startsWith(new OID("1.3.6.1.4.1.9.9.187.1.2.5"))
                && !o.equals(Mibs.CBGP_PEER2_STATE)), "no peer table: its other columns cost nothing");
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void poll_gives_up_on_a_client_that_never_reports_back_instead_of_waiting_for_ever() throws Exception {
        SnmpClient silent = new SnmpClient() {
            @Override
            public List<VariableBinding> getBulk(List<OID> oids, int nonRepeaters, int maxRepetitions) {
                throw new AssertionError("not asked blocking");
            }

            @Override
            public void send(SnmpWalker.Request request, Callback callback) {
                // never calls back: what a closed engine (its timer stopped) would do
            }
        };
        long start = System.nanoTime();
        List<TargetReading> readings = TargetPoller.pollWithin(List.of(TargetAddress.parse(SW)), target -> silent, 25,
                java.time.Duration.ofMillis(300));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds >= 0.3 && seconds < 2, "took " + seconds);
        assertFalse(readings.get(0).up());
        assertTrue(readings.get(0).why().startsWith("nothing came back for 0.3 s"), readings.get(0).why());
        assertEquals(4, readings.get(0).errors().size());
    }

    @Test
    void poll_of_an_agent_refusing_one_column_reads_the_rest_and_fails_only_that_group() throws Exception {
        RecordedAgent agent = linuxHost();
        agent.refused = Mibs.IF_HC_IN_OCTETS;
        TargetReading reading = pollOne(agent, 25);
        assertTrue(reading.up());
        assertEquals(Map.of(), reading.errors());
        assertFalse(reading.succeeded(PollGroup.COUNTERS));
        assertTrue(reading.succeeded(PollGroup.INTERFACES) && reading.succeeded(PollGroup.BGP)
                && reading.succeeded(PollGroup.SYSTEM));
        assertEquals(List.of("IF-MIB ifHCInOctets (1.3.6.1.2.1.31.1.1.1.6): the agent answered genErr"),
                reading.failures().get(PollGroup.COUNTERS));
        assertEquals(3, reading.table(PollGroup.INTERFACES).column(Mibs.IF_NAME).size());
        assertEquals(new Gauge32(72), reading.table(PollGroup.SYSTEM).scalar(Mibs.HR_SYSTEM_PROCESSES));
    }

    @Test
    void poll_of_an_agent_echoing_every_oid_with_nulls_is_down_and_says_the_answers_were_malformed() throws Exception {
        RecordedAgent agent = linuxHost();
        agent.nulls = new OID("1.3");
        TargetReading reading = pollOne(agent, 25);
        assertFalse(reading.up());
        for (PollGroup group : PollGroup.values()) {
            assertFalse(reading.succeeded(group), group.command);
        }
        assertTrue(reading.why().contains("malformed answer"), reading.why());
        assertTrue(reading.why().contains("with a NULL value"), reading.why());
    }

    @Test
    void poll_walks_a_fallback_only_when_what_it_stands_in_for_is_absent() throws Exception {
        RecordedAgent agent = linuxHost() // both peer tables: cbgpPeer2 wins, BGP4-MIB's columns are not walked
                .with("1.3.6.1.4.1.9.9.187.1.2.5.1.3.1.4.10.0.0.1", new Integer32(6))
                .with("1.3.6.1.4.1.9.9.187.1.2.5.1.3.1.4.10.0.0.2", new Integer32(1))
                .with("1.3.6.1.2.1.15.3.1.2.10.0.0.1", new Integer32(6))
                .with("1.3.6.1.2.1.15.3.1.2.10.0.0.2", new Integer32(1));
        TargetReading reading = pollOne(agent, 25);
        SnmpTable bgp = reading.table(PollGroup.BGP);
        assertEquals(2, bgp.column(Mibs.CBGP_PEER2_STATE).size());
        assertTrue(bgp.column(Mibs.BGP_PEER_STATE).isEmpty(), "not walked, and the probe's row forgotten");
        // the ifHC octets are there: the 32-bit ones are neither walked nor kept
        assertTrue(reading.table(PollGroup.COUNTERS).column(Mibs.IF_IN_OCTETS).isEmpty());
    }

    @Test
    void poll_walks_the_enhanced_mempool_only_for_agents_without_the_other_memory_tables() throws Exception {
        // an ASR 9000's two route processors (IOS-XR): a processor pool each, and a reserved one
        RecordedAgent xr = linuxHost()
                .with("1.3.6.1.4.1.9.9.221.1.1.1.1.2.18788073.1", new Integer32(2))
                .with("1.3.6.1.4.1.9.9.221.1.1.1.1.2.18788073.2", new Integer32(11))
                .with("1.3.6.1.4.1.9.9.221.1.1.1.1.2.52690955.1", new Integer32(2))
                .with("1.3.6.1.4.1.9.9.221.1.1.1.1.18.18788073.1", new Counter64(3249409252L))
                .with("1.3.6.1.4.1.9.9.221.1.1.1.1.18.18788073.2", new Counter64(134217728L))
                .with("1.3.6.1.4.1.9.9.221.1.1.1.1.18.52690955.1", new Counter64(3855738900L))
                .with("1.3.6.1.4.1.9.9.221.1.1.1.1.20.18788073.1", new Counter64(5132021760L))
                .with("1.3.6.1.4.1.9.9.221.1.1.1.1.20.18788073.2", new Counter64(0))
                .with("1.3.6.1.4.1.9.9.221.1.1.1.1.20.52690955.1", new Counter64(4526039040L));
        SnmpTable system = pollOne(xr, 25).table(PollGroup.SYSTEM);
        assertEquals(3, system.column(Mibs.CEMP_MEM_POOL_TYPE).size());
        assertEquals(3, system.column(Mibs.CEMP_MEM_POOL_HC_FREE).size());
        // the same agent with CISCO-PROCESS-MIB's memory columns: those win, the pools are not walked
        RecordedAgent both = xr.with("1.3.6.1.4.1.9.9.109.1.1.1.1.12.1", new Gauge32(1000))
                .with("1.3.6.1.4.1.9.9.109.1.1.1.1.13.1", new Gauge32(2000));
        SnmpTable preferred = pollOne(both, 25).table(PollGroup.SYSTEM);
        assertEquals(1, preferred.column(Mibs.CPM_CPU_MEMORY_USED).size());
        assertTrue(preferred.column(Mibs.CEMP_MEM_POOL_HC_USED).isEmpty(), "not walked, the probe's row forgotten");
        assertTrue(preferred.column(Mibs.CEMP_MEM_POOL_TYPE).isEmpty());
    }

    @Test
    void poll_of_an_agent_refusing_the_hc_octets_does_not_report_the_32_bit_ones_instead() throws Exception {
        RecordedAgent agent = linuxHost()
                .with("1.3.6.1.2.1.2.2.1.10.1", new Counter32(10))
                .with("1.3.6.1.2.1.2.2.1.10.2", new Counter32(20));
        agent.refused = Mibs.IF_HC_IN_OCTETS;
        TargetReading reading = pollOne(agent, 25);
        SnmpTable counters = reading.table(PollGroup.COUNTERS);
        assertTrue(counters.column(Mibs.IF_HC_IN_OCTETS).isEmpty());
        assertTrue(counters.column(Mibs.IF_IN_OCTETS).isEmpty(), "the column failed, it is not absent");
        assertFalse(reading.succeeded(PollGroup.COUNTERS));
    }

    @Test
    void poll_gets_the_32_bit_octets_of_ports_without_hc_counters() throws Exception {
        RecordedAgent agent = linuxHost()
                .with("1.3.6.1.2.1.2.2.1.14.1", new Counter32(0)) // ifInErrors of all three
                .with("1.3.6.1.2.1.2.2.1.14.2", new Counter32(0))
                .with("1.3.6.1.2.1.2.2.1.14.3", new Counter32(0))
                .with("1.3.6.1.2.1.2.2.1.14.4", new Counter32(0)) // and of a port without ifHCInOctets
                .with("1.3.6.1.2.1.31.1.1.1.10.1", new Counter64(11)) // ifHCOutOctets of the three
                .with("1.3.6.1.2.1.31.1.1.1.10.2", new Counter64(21))
                .with("1.3.6.1.2.1.31.1.1.1.10.3", new Counter64(31))
                .with("1.3.6.1.2.1.2.2.1.10.4", new Counter32(4000))
                .with("1.3.6.1.2.1.2.2.1.16.4", new Counter32(5000));
        TargetReading reading = pollOne(agent, 25);
        SnmpTable counters = reading.table(PollGroup.COUNTERS);
        assertEquals(new Counter32(4000), counters.column(Mibs.IF_IN_OCTETS).get(new OID("4")));
        assertEquals(new Counter32(5000), counters.column(Mibs.IF_OUT_OCTETS).get(new OID("4")));
        assertEquals(1, counters.column(Mibs.IF_IN_OCTETS).size(), "only the port without ifHCInOctets");
        assertTrue(agent.requests.contains("GET 2 oids"), agent.requests.toString());
        assertTrue(reading.succeeded(PollGroup.COUNTERS));
    }

    @Test
    void poll_gets_the_entity_name_of_each_cpu() throws Exception {
        RecordedAgent agent = linuxHost()
                .with("1.3.6.1.4.1.9.9.109.1.1.1.1.2.19", new Integer32(1000))
                .with("1.3.6.1.4.1.9.9.109.1.1.1.1.2.20", new Integer32(2000))
                .with("1.3.6.1.4.1.9.9.109.1.1.1.1.7.19", new Gauge32(8))
                .with("1.3.6.1.4.1.9.9.109.1.1.1.1.7.20", new Gauge32(4))
                .with("1.3.6.1.2.1.47.1.1.1.1.7.1000", new OctetString("Switch 1"))
                .with("1.3.6.1.2.1.47.1.1.1.1.7.2000", new OctetString("Switch 2"));
        TargetReading reading = pollOne(agent, 25);
        assertEquals(new OctetString("Switch 2"),
                reading.table(PollGroup.SYSTEM).column(Mibs.ENT_PHYSICAL_NAME).get(new OID("2000")));
        assertEquals(1, agent.requests.stream().filter(r -> r.startsWith("GET")).count(), agent.requests.toString());
    }

    // ---- mapping: interfaces ----

    static SnmpTable nexusInterfaces() {
        SnmpTable t = new SnmpTable();
        port(t, "436207616", "Ethernet1/1", 6, "003a9c5a1b08", 1, 1, 10000, "spine01 Eth1/49", 1);
        port(t, "436211712", "Ethernet1/2", 6, "003a9c5a1b09", 1, 2, 25000, "", 2);
        port(t, "436215808", "Ethernet1/3", 6, "003a9c5a1b0a", 2, 2, 10000, "spare", null);
        port(t, "436219904", "Ethernet1/4", 6, "003a9c5a1b0b", 3, 7, 10000, "lab", null);
        port(t, "335544320", "loopback0", 24, "", 1, 1, 8000, "router-id", null);
        port(t, "151060490", "Vlan10", 53, "003a9c5a1b07", 1, 1, 1000, "servers", null);
        port(t, "151060491", "Vlan11", 53, "003a9c5a1b07", 2, 2, 1000, "", null);
        port(t, "1224736769", "nve1", 53, "003a9c5a1b07", 1, 1, 0, "", null); // propVirtual, not a VLAN
        return t;
    }

    static void port(SnmpTable t, String index, String name, int type, String mac, int admin, int oper, long speed,
            String alias, Integer trunk) {
        row(t, index, name, name, type);
        t.put(Mibs.IF_PHYS_ADDRESS, index, mac(mac));
        t.put(Mibs.IF_ADMIN_STATUS, index, new Integer32(admin));
        t.put(Mibs.IF_OPER_STATUS, index, new Integer32(oper));
        t.put(Mibs.IF_HIGH_SPEED, index, new Gauge32(speed));
        t.put(Mibs.IF_ALIAS, index, new OctetString(alias));
        if (trunk != null) {
            t.put(Mibs.VLAN_TRUNK_PORT_DYNAMIC_STATUS, index, new Integer32(trunk));
        }
    }

    /** An interface as IOS lists it: ifName short, ifDescr long, up. */
    static SnmpTable row(SnmpTable t, String index, String name, String descr, int type) {
        t.put(Mibs.IF_NAME, index, new OctetString(name));
        t.put(Mibs.IF_DESCR, index, new OctetString(descr));
        t.put(Mibs.IF_TYPE, index, new Integer32(type));
        t.put(Mibs.IF_OPER_STATUS, index, new Integer32(1));
        return t;
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
        t.put(Mibs.IF_HC_OUT_UCAST_PKTS, "151060490", new Counter64(52000000));
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

    static CollectorRegistry interfaces(SnmpTable interfaces, SnmpTable counters) {
        return registry(reading(SW, interfaces, counters, new SnmpTable(), new SnmpTable()));
    }

    static CollectorRegistry nexus() {
        return registry(reading(SW, nexusInterfaces(), nexusCounters(), nexusBgp(), nexusSystem()));
    }

    /** Every series of every family in {@code registry}, as name and label values: none may repeat. */
    static List<String> series(CollectorRegistry registry) {
        List<String> series = new ArrayList<>();
        for (Collector.MetricFamilySamples family : java.util.Collections.list(registry.metricFamilySamples())) {
            for (Collector.MetricFamilySamples.Sample sample : family.samples) {
                series.add(sample.name + sample.labelNames + sample.labelValues);
            }
        }
        return series;
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
    void port_channels_are_ethernet_not_svis() {
        SnmpTable t = new SnmpTable();
        row(t, "5001", "Po1", "Port-channel1", 53); // IOS: propVirtual
        t.put(Mibs.IF_ALIAS, "5001", new OctetString("*** to core ***"));
        row(t, "369098761", "port-channel10", "port-channel10", 53); // NX-OS: propVirtual, its description kept
        t.put(Mibs.IF_ALIAS, "369098761", new OctetString("Uplink"));
        row(t, "20", "Bundle-Ether1", "Bundle-Ether1", 161); // IOS-XR: ieee8023adLag
        row(t, "21", "Po2.100", "Port-channel2.100", 53); // a sub-interface of one
        CollectorRegistry r = interfaces(t, new SnmpTable());
        assertEquals(1.0, r.getSampleValue("cisco_eth_state", ETH, new String[] {SW, "Po1", "unknown", "*** to core ***"}));
        assertEquals(1.0, r.getSampleValue("cisco_eth_state", ETH, new String[] {SW, "port-channel10", "unknown", "Uplink"}));
        assertEquals(1.0, r.getSampleValue("cisco_eth_state", ETH, new String[] {SW, "Bundle-Ether1", "unknown", "unknown"}));
        assertEquals(1.0, r.getSampleValue("cisco_eth_state", ETH, new String[] {SW, "Po2.100", "unknown", "unknown"}));
        assertFalse(series(r).stream().anyMatch(s -> s.startsWith("cisco_svi_")), series(r).toString());
    }

    @Test
    void stack_ports_and_propvirtual_interfaces_not_named_as_vlans_are_ethernet() {
        SnmpTable t = new SnmpTable();
        row(t, "5179", "StackPort1", "StackPort1", 53);
        row(t, "5180", "StackSub-St1-1", "StackSub-St1-1", 53);
        row(t, "1224736769", "nve1", "nve1", 53);
        CollectorRegistry r = interfaces(t, new SnmpTable());
        for (String name : List.of("StackPort1", "StackSub-St1-1", "nve1")) {
            assertEquals(1.0, r.getSampleValue("cisco_eth_state", ETH, new String[] {SW, name, "unknown", "unknown"}), name);
        }
        assertFalse(series(r).stream().anyMatch(s -> s.startsWith("cisco_svi_")), series(r).toString());
    }

    @Test
    void svis_are_routed_vlan_interfaces_by_name_on_ios_nxos_and_their_bridge_domain_kin() {
        SnmpTable t = new SnmpTable();
        row(t, "1", "Vl1", "Vlan1", 53); // IOS: ifName short
        row(t, "151060490", "Vlan10", "Vlan10", 53); // NX-OS
        row(t, "80", "BD20", "BDI20", 53); // IOS-XE bridge-domain interface
        row(t, "81", "BVI100", "BVI100", 53); // IOS-XR
        row(t, "82", "Vlan30", "Vlan30", 53);
        t.put(Mibs.VM_VLAN, "82", new Integer32(30)); // a switchport is no SVI, whatever its name
        CollectorRegistry r = interfaces(t, new SnmpTable());
        for (String name : List.of("Vl1", "Vlan10", "BD20", "BVI100")) {
            assertEquals(1.0, r.getSampleValue("cisco_svi_state", SVI, new String[] {SW, name, "unknown"}), name);
            assertNull(r.getSampleValue("cisco_eth_state", ETH, new String[] {SW, name, "unknown", "unknown"}), name);
        }
        assertEquals(1.0, r.getSampleValue("cisco_eth_state", ETH, new String[] {SW, "Vlan30", "unknown", "unknown"}));
        assertEquals(InterfaceMetrics.Kind.SVI, InterfaceMetrics.kind("Vl99", "Vlan99", new Integer32(53), false));
        assertEquals(InterfaceMetrics.Kind.ETHERNET, InterfaceMetrics.kind("Vlan10.5", null, new Integer32(53), false));
        assertEquals(InterfaceMetrics.Kind.ETHERNET, InterfaceMetrics.kind("Vlanx", null, new Integer32(53), false));
        assertEquals(InterfaceMetrics.Kind.ETHERNET, InterfaceMetrics.kind("Po", "Port-channel", new Integer32(53), false));
        assertEquals(InterfaceMetrics.Kind.ETHERNET, InterfaceMetrics.kind("Ethernet1/1", null, new Integer32(6), false));
    }

    @Test
    void unrouted_vlans_and_mpls_layers_are_not_reported() {
        SnmpTable t = new SnmpTable();
        row(t, "260", "VLAN-1", "unrouted VLAN 1", 53); // Catalyst 6500, 9300
        row(t, "26", "Te0/0/25", "TenGigabitEthernet0/0/25", 6);
        t.put(Mibs.IF_ALIAS, "26", new OctetString("LAB01-PE05 Te0/0/0/22"));
        row(t, "64", "Te0/0/25", "TenGigabitEthernet0/0/25-mpls layer", 166); // ASR 920: the port's name again
        row(t, "27", "Te0/0/26", "TenGigabitEthernet0/0/26", 6);
        row(t, "37", "Te0/0/26", "TenGigabitEthernet0/0/26-mpls layer", 166);
        SnmpTable counters = new SnmpTable();
        for (String index : List.of("26", "64", "27", "37")) {
            counters.put(Mibs.IF_HC_IN_OCTETS, index, new Counter64(Long.parseLong(index)));
        }
        CollectorRegistry r = interfaces(t, counters);
        assertEquals(26.0, r.getSampleValue("cisco_eth_inbytes_total", ETH_COUNTER,
                new String[] {SW, "Te0/0/25", "LAB01-PE05 Te0/0/0/22"}));
        assertEquals(27.0, r.getSampleValue("cisco_eth_inbytes_total", ETH_COUNTER, new String[] {SW, "Te0/0/26", "unknown"}));
        List<String> series = series(r);
        assertEquals(new HashSet<>(series).size(), series.size(), series.toString());
        assertEquals(2, series.stream().filter(s -> s.startsWith("cisco_eth_state[")).count(), series.toString());
        assertFalse(series.toString().contains("VLAN-1"), series.toString());
        assertEquals(InterfaceMetrics.Kind.LEFT_OUT, InterfaceMetrics.kind("VLAN-1002", "unrouted VLAN 1002", new Integer32(53), false));
    }

    @Test
    void interfaces_sharing_a_name_are_told_apart_by_ifdescr_then_ifindex() {
        SnmpTable t = new SnmpTable();
        row(t, "1", "Gi0/1", "GigabitEthernet0/1", 6);
        row(t, "2", "Gi0/1", "GigabitEthernet0/1-atm layer", 49); // some other layer under the same name
        row(t, "3", "x", "same", 6);
        row(t, "4", "x", "same", 6);
        CollectorRegistry r = interfaces(t, new SnmpTable());
        String[] none = {"unknown", "unknown"};
        assertEquals(1.0, r.getSampleValue("cisco_eth_state", ETH, new String[] {SW, "GigabitEthernet0/1", none[0], none[1]}));
        assertEquals(1.0, r.getSampleValue("cisco_eth_state", ETH,
                new String[] {SW, "GigabitEthernet0/1-atm layer", none[0], none[1]}));
        assertEquals(1.0, r.getSampleValue("cisco_eth_state", ETH, new String[] {SW, "x (ifIndex 3)", none[0], none[1]}));
        assertEquals(1.0, r.getSampleValue("cisco_eth_state", ETH, new String[] {SW, "x (ifIndex 4)", none[0], none[1]}));
    }

    @Test
    void switchport_mode_from_the_trunk_encapsulation_and_access_vlans() {
        // vlanTrunkPortEncapsulationOperType: dot1Q(4) trunking, notApplicable(6) not; vmVlan: an access port
        assertEquals(1.0, InterfaceMetrics.mode(null, new Integer32(4), null, true));
        assertEquals(1.0, InterfaceMetrics.mode(null, new Integer32(1), null, true)); // isl
        assertEquals(0.0, InterfaceMetrics.mode(null, new Integer32(6), new Integer32(525), true));
        assertEquals(0.0, InterfaceMetrics.mode(null, new Integer32(6), new Integer32(0), true)); // dynamic, unassigned
        assertTrue(Double.isNaN(InterfaceMetrics.mode(null, new Integer32(6), null, true)), "a trunk whose link is down");
        assertEquals(0.0, InterfaceMetrics.mode(null, new Integer32(6), null, false), "no vmMembershipTable to tell");
        assertTrue(Double.isNaN(InterfaceMetrics.mode(null, new Integer32(5), null, true)), "negotiating");
        assertTrue(Double.isNaN(InterfaceMetrics.mode(null, null, null, false)), "not a switchport");
        // vlanTrunkPortDynamicStatus, where the agent has it, says it directly
        assertEquals(1.0, InterfaceMetrics.mode(new Integer32(1), new Integer32(6), new Integer32(10), true));
        assertEquals(0.0, InterfaceMetrics.mode(new Integer32(2), new Integer32(4), null, true));

        SnmpTable t = new SnmpTable();
        row(t, "10101", "Gi1/0/1", "GigabitEthernet1/0/1", 6);
        t.put(Mibs.VLAN_TRUNK_PORT_ENCAPSULATION_OPER_TYPE, "10101", new Integer32(6));
        t.put(Mibs.VM_VLAN, "10101", new Integer32(525));
        row(t, "10103", "Gi1/0/3", "GigabitEthernet1/0/3", 6);
        t.put(Mibs.VLAN_TRUNK_PORT_ENCAPSULATION_OPER_TYPE, "10103", new Integer32(4));
        row(t, "10149", "Gi1/0/49", "GigabitEthernet1/0/49", 6);
        t.put(Mibs.VLAN_TRUNK_PORT_ENCAPSULATION_OPER_TYPE, "10149", new Integer32(6));
        CollectorRegistry r = interfaces(t, new SnmpTable());
        String[] u = {"unknown", "unknown"};
        assertEquals(0.0, r.getSampleValue("cisco_eth_mode", ETH, new String[] {SW, "Gi1/0/1", u[0], u[1]}));
        assertEquals(1.0, r.getSampleValue("cisco_eth_mode", ETH, new String[] {SW, "Gi1/0/3", u[0], u[1]}));
        assertNull(r.getSampleValue("cisco_eth_mode", ETH, new String[] {SW, "Gi1/0/49", u[0], u[1]}));
    }

    @Test
    void byte_counters_fall_back_to_the_32_bit_ones_port_by_port() {
        SnmpTable t = new SnmpTable();
        row(t, "1", "Gi0/0", "GigabitEthernet0/0", 6);
        row(t, "2", "Gi1/0/1", "GigabitEthernet1/0/1", 6);
        row(t, "3", "Vl1", "Vlan1", 53);
        SnmpTable counters = new SnmpTable();
        counters.put(Mibs.IF_IN_OCTETS, "1", new Counter32(236040956)); // no ifHC octets for the management port
        counters.put(Mibs.IF_OUT_OCTETS, "1", new Counter32(4294967295L));
        counters.put(Mibs.IF_HC_IN_OCTETS, "2", new Counter64(5000000000L));
        counters.put(Mibs.IF_IN_OCTETS, "2", new Counter32(705032704)); // the same, wrapped: the 64-bit one wins
        counters.put(Mibs.IF_IN_OCTETS, "3", new Counter32(1234));
        CollectorRegistry r = interfaces(t, counters);
        assertEquals(236040956.0, r.getSampleValue("cisco_eth_inbytes_total", ETH_COUNTER, new String[] {SW, "Gi0/0", "unknown"}));
        assertEquals(4294967295.0, r.getSampleValue("cisco_eth_outbytes_total", ETH_COUNTER, new String[] {SW, "Gi0/0", "unknown"}));
        assertEquals(5000000000.0, r.getSampleValue("cisco_eth_inbytes_total", ETH_COUNTER, new String[] {SW, "Gi1/0/1", "unknown"}));
        assertEquals(1234.0, r.getSampleValue("cisco_svi_total_bytes_in_total", SVI_COUNTER, new String[] {SW, "Vl1"}));
    }

    @Test
    void giants_from_cisco_if_extension_else_etherlike() {
        SnmpTable t = new SnmpTable();
        row(t, "1", "Gi0/0/0", "GigabitEthernet0/0/0", 6);
        row(t, "2", "Gi0/0/1", "GigabitEthernet0/0/1", 6);
        SnmpTable counters = new SnmpTable();
        counters.put(Mibs.CIE_IF_IN_GIANTS_ERRS, "1", new Counter32(7));
        counters.put(Mibs.DOT3_STATS_FRAME_TOO_LONGS, "1", new Counter32(99));
        counters.put(Mibs.DOT3_STATS_FRAME_TOO_LONGS, "2", new Counter32(3));
        CollectorRegistry r = interfaces(t, counters);
        assertEquals(7.0, r.getSampleValue("cisco_eth_ingiants_total", ETH_COUNTER, new String[] {SW, "Gi0/0/0", "unknown"}));
        assertEquals(3.0, r.getSampleValue("cisco_eth_ingiants_total", ETH_COUNTER, new String[] {SW, "Gi0/0/1", "unknown"}));
    }

    @Test
    void svis_have_their_own_metrics_unicast_packets_too_and_are_not_ethernet() {
        CollectorRegistry r = nexus();
        String[] vlan10 = {SW, "Vlan10", "003a.9c5a.1b07"};
        assertEquals(1.0, r.getSampleValue("cisco_svi_state", SVI, vlan10));
        assertEquals(1.0, r.getSampleValue("cisco_svi_admin_state", SVI, vlan10));
        assertEquals(1000.0, r.getSampleValue("cisco_svi_bw", SVI, vlan10));
        String[] v10 = {SW, "Vlan10"};
        assertEquals(5500000000.0, r.getSampleValue("cisco_svi_total_bytes_in_total", SVI_COUNTER, v10));
        assertEquals(41000300.0, r.getSampleValue("cisco_svi_total_pkts_in_total", SVI_COUNTER, v10));
        assertEquals(41000000.0, r.getSampleValue("cisco_svi_ucast_pkts_in_total", SVI_COUNTER, v10));
        assertEquals(52000000.0, r.getSampleValue("cisco_svi_ucast_pkts_out_total", SVI_COUNTER, v10));
        assertEquals(0.0, r.getSampleValue("cisco_svi_admin_state", SVI, new String[] {SW, "Vlan11", "003a.9c5a.1b07"}));
        assertNull(r.getSampleValue("cisco_eth_state", ETH, new String[] {SW, "Vlan10", "003a.9c5a.1b07", "servers"}));
        assertEquals(1.0, r.getSampleValue("cisco_eth_state", ETH, new String[] {SW, "nve1", "003a.9c5a.1b07", "unknown"}));
    }

    // ---- mapping: BGP ----

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

    /** An IOS-XE router's cbgpPeer2Table: an IPv4 and an IPv6 peer; families in both prefix tables. */
    static SnmpTable iosxeBgp() {
        SnmpTable t = new SnmpTable();
        t.put(Mibs.BGP_LOCAL_AS, "0", new Integer32(23456)); // AS_TRANS: BGP4-MIB cannot say 4200000001
        t.put(Mibs.CBGP_LOCAL_AS, "0", new Gauge32(4200000001L));
        t.put(Mibs.BGP_IDENTIFIER, "0", new IpAddress("10.255.0.1"));
        String v4 = "1.4.10.44.32.13";
        String v6 = "2.16.32.1.13.184.133.163.0.0.52.26.138.46.3.225.0.13";
        t.put(Mibs.CBGP_PEER2_STATE, v4, new Integer32(6));
        t.put(Mibs.CBGP_PEER2_STATE, v6, new Integer32(3));
        t.put(Mibs.CBGP_PEER2_REMOTE_AS, v4, new Gauge32(65083));
        t.put(Mibs.CBGP_PEER2_REMOTE_AS, v6, new Gauge32(4200000002L));
        t.put(Mibs.CBGP_PEER2_IN_TOTAL_MESSAGES, v4, new Counter32(302));
        t.put(Mibs.CBGP_PEER2_OUT_TOTAL_MESSAGES, v4, new Counter32(316));
        t.put(Mibs.CBGP_PEER2_IN_UPDATES, v4, new Counter32(1));
        t.put(Mibs.CBGP_PEER2_FSM_ESTABLISHED_TIME, v4, new Gauge32(8497));
        // the IPv4 peer's families in the old table (address.afi.safi), the IPv6 peer's in cbgpPeer2's
        t.put(Mibs.CBGP_PEER_ACCEPTED_PREFIXES, "10.44.32.13.1.1", new Counter32(15));
        t.put(Mibs.CBGP_PEER_ACCEPTED_PREFIXES, "10.44.32.13.1.128", new Counter32(7));
        t.put(Mibs.CBGP_PEER2_ACCEPTED_PREFIXES, v6 + ".2.1", new Counter32(0));
        return t;
    }

    @Test
    void bgp_peers_from_cbgppeer2_ipv4_and_ipv6_under_each_address_family() {
        CollectorRegistry r = registry(reading(SW, new SnmpTable(), new SnmpTable(), iosxeBgp(), new SnmpTable()));
        String[] unicast = {SW, "1", "10.44.32.13", "10.255.0.1", "4200000001", "65083", "1"};
        String[] vpn = {SW, "1", "10.44.32.13", "10.255.0.1", "4200000001", "65083", "128"};
        String[] v6 = {SW, "2", "2001:db8:85a3:0:341a:8a2e:3e1:d", "10.255.0.1", "4200000001", "4200000002", "1"};
        assertEquals(5.0, r.getSampleValue("cisco_bgp_saf_neighbor_state", BGP, unicast));
        assertEquals(5.0, r.getSampleValue("cisco_bgp_saf_neighbor_state", BGP, vpn));
        assertEquals(2.0, r.getSampleValue("cisco_bgp_saf_neighbor_state", BGP, v6)); // opensent(3)
        assertEquals(15.0, r.getSampleValue("cisco_bgp_saf_neighbor_prefixreceived", BGP, unicast));
        assertEquals(7.0, r.getSampleValue("cisco_bgp_saf_neighbor_prefixreceived", BGP, vpn));
        assertEquals(0.0, r.getSampleValue("cisco_bgp_saf_neighbor_prefixreceived", BGP, v6));
        assertEquals(302.0, r.getSampleValue("cisco_bgp_saf_neighbor_msgrecvd_total", BGP, unicast));
        assertEquals(316.0, r.getSampleValue("cisco_bgp_saf_neighbor_msgsent_total", BGP, vpn));
        assertEquals(1.0, r.getSampleValue("cisco_bgp_saf_neighbor_updates_recvd_total", BGP, unicast));
        assertEquals(8497.0, r.getSampleValue("cisco_bgp_saf_neighbor_established_seconds", BGP, unicast));
        assertNull(r.getSampleValue("cisco_bgp_saf_neighbor_msgrecvd_total", BGP, v6)); // the agent did not say
        String[] family = {SW, "1", "10.255.0.1", "4200000001", "1"};
        assertEquals(1.0, r.getSampleValue("cisco_bgp_saf_configuredpeers", BGP_FAMILY, family));
        assertEquals(1.0, r.getSampleValue("cisco_bgp_saf_capablepeers", BGP_FAMILY, family));
        String[] ipv6 = {SW, "2", "10.255.0.1", "4200000001", "1"};
        assertEquals(1.0, r.getSampleValue("cisco_bgp_saf_configuredpeers", BGP_FAMILY, ipv6));
        assertEquals(0.0, r.getSampleValue("cisco_bgp_saf_capablepeers", BGP_FAMILY, ipv6));
    }

    @Test
    void bgp4_mib_peers_without_an_address_family_row_are_reported_under_unknown() {
        CollectorRegistry r = nexus();
        double[] expected = {0, 1, 2, 3, 4, 5, -1}; // idle .. established, then an unknown state (7)
        for (int i = 0; i < expected.length; i++) {
            String[] peer = {SW, "unknown", "10.0.0." + (i + 1), "10.255.0.11", "65101", Integer.toString(65001 + i), "unknown"};
            assertEquals(expected[i], r.getSampleValue("cisco_bgp_saf_neighbor_state", BGP, peer), peer[2]);
            assertEquals(100.0 * (i + 1), r.getSampleValue("cisco_bgp_saf_neighbor_msgrecvd_total", BGP, peer));
            assertEquals(200.0 * (i + 1), r.getSampleValue("cisco_bgp_saf_neighbor_msgsent_total", BGP, peer));
        }
        String[] family = {SW, "unknown", "10.255.0.11", "65101", "unknown"};
        assertEquals(7.0, r.getSampleValue("cisco_bgp_saf_configuredpeers", BGP_FAMILY, family));
        assertEquals(1.0, r.getSampleValue("cisco_bgp_saf_capablepeers", BGP_FAMILY, family));
        SnmpTable noScalars = new SnmpTable().put(Mibs.BGP_PEER_STATE, "192.0.2.1", new Integer32(6));
        CollectorRegistry partial = registry(reading(SW, new SnmpTable(), new SnmpTable(), noScalars, new SnmpTable()));
        assertEquals(5.0, partial.getSampleValue("cisco_bgp_saf_neighbor_state", BGP,
                new String[] {SW, "unknown", "192.0.2.1", "unknown", "unknown", "unknown", "unknown"}));
    }

    @Test
    void bgp_message_counts_are_counters_under_the_originals_names() {
        Map<String, Collector.Type> types = new java.util.HashMap<>();
        for (Collector.MetricFamilySamples family : java.util.Collections.list(nexus().metricFamilySamples())) {
            types.put(family.name, family.type);
        }
        // simpleclient names a counter family without _total and its samples with it
        assertEquals(Collector.Type.COUNTER, types.get("cisco_bgp_saf_neighbor_msgrecvd"));
        assertEquals(Collector.Type.COUNTER, types.get("cisco_bgp_saf_neighbor_msgsent"));
        assertEquals(Collector.Type.GAUGE, types.get("cisco_bgp_saf_neighbor_state"));
        assertTrue(series(nexus()).stream().anyMatch(s -> s.startsWith("cisco_bgp_saf_neighbor_msgrecvd_total[")));
    }

    @Test
    void peer_addresses_as_people_write_them() {
        assertEquals("10.44.32.13", BgpMetrics.address(new OID("1.4.10.44.32.13")));
        assertEquals("2001:db8:85a3:0:341a:8a2e:3e1:d",
                BgpMetrics.address(new OID("2.16.32.1.13.184.133.163.0.0.52.26.138.46.3.225.0.13")));
        assertEquals("fd13:42ed:aee2:d2d9::1", BgpMetrics.address(new OID("2.16.253.19.66.237.174.226.210.217.0.0.0.0.0.0.0.1")));
        assertEquals("::", BgpMetrics.address(new OID("2.16.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0")));
        assertEquals("2001:0:0:1::1", BgpMetrics.address(new OID("2.16.32.1.0.0.0.0.0.1.0.0.0.0.0.0.0.1")));
        assertEquals("fe80::1%3", BgpMetrics.address(new OID("4.20.254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.3")));
        assertEquals("9.9.1.2", BgpMetrics.address(new OID("9.9.1.2"))); // not a cbgpPeer2 index: as it is
    }

    // ---- mapping: system ----

    static SnmpTable nexusSystem() {
        SnmpTable t = new SnmpTable();
        t.put(Mibs.HR_SYSTEM_PROCESSES, "0", new Gauge32(734));
        t.put(Mibs.CPM_CPU_TOTAL_PHYSICAL_INDEX, "22", new Integer32(22));
        t.put(Mibs.ENT_PHYSICAL_NAME, "22", new OctetString("Module-1 48x10GE + 4x40G Supervisor"));
        t.put(Mibs.CPM_CPU_TOTAL_5SEC_REV, "22", new Gauge32(9));
        t.put(Mibs.CPM_CPU_TOTAL_1MIN_REV, "22", new Gauge32(12));
        t.put(Mibs.CPM_CPU_TOTAL_5MIN_REV, "22", new Gauge32(10));
        t.put(Mibs.CPM_CPU_MEMORY_USED, "22", new Gauge32(6291456));
        t.put(Mibs.CPM_CPU_MEMORY_FREE, "22", new Gauge32(10485760));
        return t;
    }

    @Test
    void cpu_memory_in_kib_and_processes() {
        CollectorRegistry r = nexus();
        String sup = "Module-1 48x10GE + 4x40G Supervisor";
        assertEquals(9.0, r.getSampleValue("cisco_cpu_busy_percent", CPU, new String[] {SW, sup, "5s"}));
        assertEquals(12.0, r.getSampleValue("cisco_cpu_busy_percent", CPU, new String[] {SW, sup, "1m"}));
        assertEquals(10.0, r.getSampleValue("cisco_cpu_busy_percent", CPU, new String[] {SW, sup, "5m"}));
        assertEquals(6291456.0, r.getSampleValue("cisco_memory_usage_used", INSTANCE, new String[] {SW}));
        assertEquals(10485760.0, r.getSampleValue("cisco_memory_usage_free", INSTANCE, new String[] {SW}));
        assertEquals(16777216.0, r.getSampleValue("cisco_memory_usage_total", INSTANCE, new String[] {SW}));
        assertEquals(734.0, r.getSampleValue("cisco_processes_total", INSTANCE, new String[] {SW}));
        // a Linux host: processes, and no Cisco CPU or memory
        SnmpTable linux = new SnmpTable().put(Mibs.HR_SYSTEM_PROCESSES, "0", new Gauge32(71));
        CollectorRegistry host = registry(reading("h", new SnmpTable(), new SnmpTable(), new SnmpTable(), linux));
        assertEquals(71.0, host.getSampleValue("cisco_processes_total", INSTANCE, new String[] {"h"}));
        assertNull(host.getSampleValue("cisco_memory_usage_total", INSTANCE, new String[] {"h"}));
    }

    @Test
    void every_cpu_of_a_stack_is_reported_named_by_its_entity_and_memory_is_their_sum() {
        SnmpTable t = new SnmpTable();
        for (String[] cpu : new String[][] {{"19", "1000", "Switch 1", "13", "8"}, {"20", "2000", "Switch 2", "5", "4"}}) {
            t.put(Mibs.CPM_CPU_TOTAL_PHYSICAL_INDEX, cpu[0], new Integer32(Integer.parseInt(cpu[1])));
            t.put(Mibs.ENT_PHYSICAL_NAME, cpu[1], new OctetString(cpu[2]));
            t.put(Mibs.CPM_CPU_TOTAL_5SEC_REV, cpu[0], new Gauge32(Long.parseLong(cpu[3])));
            t.put(Mibs.CPM_CPU_TOTAL_1MIN_REV, cpu[0], new Gauge32(Long.parseLong(cpu[4])));
            t.put(Mibs.CPM_CPU_MEMORY_USED, cpu[0], new Gauge32(2000000));
            t.put(Mibs.CPM_CPU_MEMORY_FREE, cpu[0], new Gauge32(1000000));
        }
        t.put(Mibs.CPM_CPU_TOTAL_1MIN_REV, "30", new Gauge32(3)); // no 5-second column (IOS-XR), no entity
        t.put(Mibs.CPM_CPU_TOTAL_PHYSICAL_INDEX, "30", new Integer32(0));
        CollectorRegistry r = registry(reading(SW, new SnmpTable(), new SnmpTable(), new SnmpTable(), t));
        assertEquals(13.0, r.getSampleValue("cisco_cpu_busy_percent", CPU, new String[] {SW, "Switch 1", "5s"}));
        assertEquals(5.0, r.getSampleValue("cisco_cpu_busy_percent", CPU, new String[] {SW, "Switch 2", "5s"}));
        assertEquals(4.0, r.getSampleValue("cisco_cpu_busy_percent", CPU, new String[] {SW, "Switch 2", "1m"}));
        assertEquals(3.0, r.getSampleValue("cisco_cpu_busy_percent", CPU, new String[] {SW, "cpmCPUTotalIndex 30", "1m"}));
        assertNull(r.getSampleValue("cisco_cpu_busy_percent", CPU, new String[] {SW, "cpmCPUTotalIndex 30", "5s"}));
        assertEquals(4000000.0, r.getSampleValue("cisco_memory_usage_used", INSTANCE, new String[] {SW}));
        assertEquals(6000000.0, r.getSampleValue("cisco_memory_usage_total", INSTANCE, new String[] {SW}));
    }

    @Test
    void cpus_sharing_an_entity_name_are_told_apart_by_index() {
        SnmpTable t = new SnmpTable();
        for (String cpu : List.of("1", "2")) {
            t.put(Mibs.CPM_CPU_TOTAL_PHYSICAL_INDEX, cpu, new Integer32(Integer.parseInt(cpu)));
            t.put(Mibs.ENT_PHYSICAL_NAME, cpu, new OctetString("CPU"));
            t.put(Mibs.CPM_CPU_TOTAL_5SEC_REV, cpu, new Gauge32(Long.parseLong(cpu)));
        }
        CollectorRegistry r = registry(reading(SW, new SnmpTable(), new SnmpTable(), new SnmpTable(), t));
        assertEquals(2.0, r.getSampleValue("cisco_cpu_busy_percent", CPU, new String[] {SW, "CPU (cpmCPUTotalIndex 2)", "5s"}));
    }

    @Test
    void memory_of_classic_ios_from_the_processor_pool_in_kib() {
        SnmpTable t = new SnmpTable();
        t.put(Mibs.CPM_CPU_TOTAL_5SEC_REV, "1", new Gauge32(67)); // CISCO-PROCESS-MIB without memory columns
        t.put(Mibs.CISCO_MEMORY_POOL_USED, "1", new Gauge32(50661572)); // Processor, bytes
        t.put(Mibs.CISCO_MEMORY_POOL_FREE, "1", new Gauge32(392203472));
        t.put(Mibs.CISCO_MEMORY_POOL_USED, "2", new Gauge32(12622768)); // I/O: not the processor's
        t.put(Mibs.CISCO_MEMORY_POOL_FREE, "2", new Gauge32(4154448));
        CollectorRegistry r = registry(reading(SW, new SnmpTable(), new SnmpTable(), new SnmpTable(), t));
        assertEquals(50661572 / 1024.0, r.getSampleValue("cisco_memory_usage_used", INSTANCE, new String[] {SW}));
        assertEquals(392203472 / 1024.0, r.getSampleValue("cisco_memory_usage_free", INSTANCE, new String[] {SW}));
        assertEquals((50661572 + 392203472) / 1024.0, r.getSampleValue("cisco_memory_usage_total", INSTANCE, new String[] {SW}));
    }

    @Test
    void memory_of_ios_xr_from_the_processor_pools_of_the_enhanced_mempool_in_kib() {
        SnmpTable t = new SnmpTable();
        t.put(Mibs.CEMP_MEM_POOL_TYPE, "18788073.1", new Integer32(2)); // processor, route processor 0
        t.put(Mibs.CEMP_MEM_POOL_HC_USED, "18788073.1", new Counter64(3249409252L));
        t.put(Mibs.CEMP_MEM_POOL_HC_FREE, "18788073.1", new Counter64(5132021760L)); // above 32 bits
        t.put(Mibs.CEMP_MEM_POOL_TYPE, "18788073.2", new Integer32(11)); // reserved: not the processor's
        t.put(Mibs.CEMP_MEM_POOL_HC_USED, "18788073.2", new Counter64(134217728L));
        t.put(Mibs.CEMP_MEM_POOL_HC_FREE, "18788073.2", new Counter64(0));
        t.put(Mibs.CEMP_MEM_POOL_TYPE, "52690955.1", new Integer32(2)); // processor, route processor 1
        t.put(Mibs.CEMP_MEM_POOL_HC_USED, "52690955.1", new Counter64(3855738900L));
        t.put(Mibs.CEMP_MEM_POOL_HC_FREE, "52690955.1", new Counter64(4526039040L));
        CollectorRegistry r = registry(reading(SW, new SnmpTable(), new SnmpTable(), new SnmpTable(), t));
        double used = (3249409252L + 3855738900L) / 1024.0;
        double free = (5132021760L + 4526039040L) / 1024.0;
        assertEquals(used, r.getSampleValue("cisco_memory_usage_used", INSTANCE, new String[] {SW}));
        assertEquals(free, r.getSampleValue("cisco_memory_usage_free", INSTANCE, new String[] {SW}));
        assertEquals(used + free, r.getSampleValue("cisco_memory_usage_total", INSTANCE, new String[] {SW}));
    }

    // ---- status ----

    @Test
    void a_target_that_did_not_answer_is_up_0_with_its_runtimes_and_failed_commands_and_nothing_else() {
        Map<PollGroup, Double> seconds = new EnumMap<>(PollGroup.class);
        Map<PollGroup, String> errors = new EnumMap<>(PollGroup.class);
        for (PollGroup group : PollGroup.values()) {
            seconds.put(group, 3.0);
            errors.put(group, "timeout");
        }
        TargetReading dead = new TargetReading("dead:161", Map.of(), seconds, errors);
        CollectorRegistry r = registry(reading(SW, nexusInterfaces(), nexusCounters(), nexusBgp(), nexusSystem()), dead);
        assertEquals(0.0, r.getSampleValue("cisco_up", INSTANCE, new String[] {"dead:161"}));
        assertEquals(1.0, r.getSampleValue("cisco_up", INSTANCE, new String[] {SW}));
        String[] command = {"instance", "command"};
        assertEquals(3.0, r.getSampleValue("cisco_command_runtime", command, new String[] {"dead:161", "bgp"}));
        assertEquals(0.0, r.getSampleValue("cisco_command_success", command, new String[] {"dead:161", "bgp"}));
        assertEquals(0.002, r.getSampleValue("cisco_command_runtime", command, new String[] {SW, "counters"}));
        assertEquals(1.0, r.getSampleValue("cisco_command_success", command, new String[] {SW, "counters"}));
        assertNull(r.getSampleValue("cisco_processes_total", INSTANCE, new String[] {"dead:161"}));
    }

    @Test
    void a_group_with_a_failed_column_reports_what_it_read_and_success_0() {
        TargetReading full = reading(SW, nexusInterfaces(), nexusCounters(), nexusBgp(), nexusSystem());
        TargetReading partly = new TargetReading(SW, full.tables(), full.seconds(), Map.of(),
                Map.of(PollGroup.COUNTERS, List.of("IF-MIB ifHCInOctets (1.3.6.1.2.1.31.1.1.1.6): the agent answered genErr"),
                        PollGroup.INTERFACES, List.of()));
        CollectorRegistry r = registry(partly);
        String[] command = {"instance", "command"};
        assertEquals(0.0, r.getSampleValue("cisco_command_success", command, new String[] {SW, "counters"}));
        assertEquals(1.0, r.getSampleValue("cisco_command_success", command, new String[] {SW, "interfaces"}));
        assertEquals(1.0, r.getSampleValue("cisco_up", INSTANCE, new String[] {SW}));
        assertEquals(2.0, r.getSampleValue("cisco_eth_inerr_total", ETH_COUNTER, new String[] {SW, "Ethernet1/1", "spine01 Eth1/49"}));
    }

    @Test
    void a_series_added_twice_is_reported_once_and_named() {
        Families families = new Families();
        families.add(CiscoMetrics.UP, 1, "a");
        families.add(CiscoMetrics.UP, 0, "a");
        families.add(CiscoMetrics.UP, 1, "b");
        assertEquals(List.of("cisco_up[a]"), families.duplicates());
        assertEquals(2, families.list().get(0).samples.size());
    }

    @Test
    void values_and_labels_from_snmp_types() {
        assertEquals("003a.9c5a.1b08", SnmpValues.ciscoMac(mac("003a9c5a1b08")));
        assertEquals("unknown", SnmpValues.ciscoMac(new OctetString()));
        assertEquals("unknown", SnmpValues.ciscoMac(null));
        assertEquals("Küche Etage 2", SnmpValues.textOrUnknown(new OctetString("Küche Etage 2".getBytes(StandardCharsets.UTF_8))));
        assertEquals("unknown", SnmpValues.textOrUnknown(new OctetString(" ")));
        assertTrue(Double.isNaN(SnmpValues.number(Null.noSuchInstance)));
        assertTrue(Double.isNaN(SnmpValues.number(Null.instance)));
        assertTrue(Double.isNaN(SnmpValues.number(new OctetString("12"))));
        assertEquals(4294967295.0, SnmpValues.number(new Counter32(4294967295L)));
        assertEquals(-5.0, SnmpValues.number(new Integer32(-5)));
        assertTrue(Snmp4jSession.describeReport(new OID("1.3.6.1.6.3.15.1.1.5.0")).contains("wrong digest"));
        assertTrue(Snmp4jSession.describeReport(new OID("1.3.6.1.6.3.15.1.1.3.0")).contains("unknown user name"));
        assertEquals("genErr", SnmpClient.AgentError.name(5));
        assertEquals("error-status 99", SnmpClient.AgentError.name(99));
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
