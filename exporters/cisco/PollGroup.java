import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.snmp4j.smi.OID;

/**
 * The four groups of SNMP requests made to a target, concurrently; each is one multi-column walk, then GETs
 * of single instances it found it needs, and reports its time as {@code cisco_command_runtime{command}} and
 * whether all of it was read as {@code cisco_command_success{command}} (the original timed each NX-OS command).
 *
 * <p>The probe asks for the first row of every column but two kinds:
 * <ul>
 * <li>companions, walked when their table's first column has rows and never probed (cbgpPeer2Table's and
 * bgpPeerTable's other columns: a probe costs every agent, a BGP router or not, and an agent answers it the
 * slower the more OIDs it names);
 * <li>fallbacks, walked only when the probe found the column they stand in for absent: the 32-bit octet
 * counters for agents without ifXTable, EtherLike-MIB's frames too long without CISCO-IF-EXTENSION-MIB's
 * giants, BGP4-MIB's peers for agents without CISCO-BGP4-MIB's cbgpPeer2Table, CISCO-MEMORY-POOL-MIB for
 * agents whose CISCO-PROCESS-MIB has no memory columns, CISCO-ENHANCED-MEMPOOL-MIB for agents with neither
 * (IOS-XR). Those that join the counters' walk are not probed
 * either; the others are, so that an agent without them is not asked again.
 * </ul>
 */
enum PollGroup {
    INTERFACES("interfaces", List.of(),
            List.of(Mibs.IF_DESCR, Mibs.IF_TYPE, Mibs.IF_PHYS_ADDRESS, Mibs.IF_ADMIN_STATUS, Mibs.IF_OPER_STATUS,
                    Mibs.IF_NAME, Mibs.IF_HIGH_SPEED, Mibs.IF_ALIAS, Mibs.VLAN_TRUNK_PORT_DYNAMIC_STATUS,
                    Mibs.VLAN_TRUNK_PORT_ENCAPSULATION_OPER_TYPE, Mibs.VM_VLAN),
            Map.of(Mibs.VLAN_TRUNK_PORT_ENCAPSULATION_OPER_TYPE, List.of(Mibs.VLAN_TRUNK_PORT_DYNAMIC_STATUS),
                    Mibs.VM_VLAN, List.of(Mibs.VLAN_TRUNK_PORT_DYNAMIC_STATUS)),
            Map.of(), Set.of()),
    COUNTERS("counters", List.of(),
            List.of(Mibs.IF_HC_IN_OCTETS, Mibs.IF_HC_IN_UCAST_PKTS, Mibs.IF_HC_IN_MULTICAST_PKTS,
                    Mibs.IF_HC_IN_BROADCAST_PKTS, Mibs.IF_HC_OUT_OCTETS, Mibs.IF_HC_OUT_UCAST_PKTS,
                    Mibs.IF_HC_OUT_MULTICAST_PKTS, Mibs.IF_HC_OUT_BROADCAST_PKTS, Mibs.IF_IN_DISCARDS,
                    Mibs.IF_IN_ERRORS, Mibs.IF_OUT_DISCARDS, Mibs.IF_OUT_ERRORS, Mibs.CIE_IF_IN_GIANTS_ERRS,
                    Mibs.DOT3_STATS_FRAME_TOO_LONGS, Mibs.IF_IN_OCTETS, Mibs.IF_OUT_OCTETS),
            Map.of(Mibs.DOT3_STATS_FRAME_TOO_LONGS, List.of(Mibs.CIE_IF_IN_GIANTS_ERRS),
                    Mibs.IF_IN_OCTETS, List.of(Mibs.IF_HC_IN_OCTETS), Mibs.IF_OUT_OCTETS, List.of(Mibs.IF_HC_OUT_OCTETS)),
            Map.of(), Set.of(Mibs.DOT3_STATS_FRAME_TOO_LONGS, Mibs.IF_IN_OCTETS, Mibs.IF_OUT_OCTETS)),
    BGP("bgp", List.of(Mibs.BGP_LOCAL_AS, Mibs.BGP_IDENTIFIER, Mibs.CBGP_LOCAL_AS),
            List.of(Mibs.CBGP_PEER2_STATE, Mibs.CBGP_PEER2_REMOTE_AS, Mibs.CBGP_PEER2_IN_UPDATES,
                    Mibs.CBGP_PEER2_OUT_UPDATES, Mibs.CBGP_PEER2_IN_TOTAL_MESSAGES, Mibs.CBGP_PEER2_OUT_TOTAL_MESSAGES,
                    Mibs.CBGP_PEER2_FSM_ESTABLISHED_TRANSITIONS, Mibs.CBGP_PEER2_FSM_ESTABLISHED_TIME,
                    Mibs.CBGP_PEER2_ACCEPTED_PREFIXES, Mibs.CBGP_PEER_ACCEPTED_PREFIXES,
                    Mibs.BGP_PEER_STATE, Mibs.BGP_PEER_REMOTE_AS, Mibs.BGP_PEER_IN_TOTAL_MESSAGES,
                    Mibs.BGP_PEER_OUT_TOTAL_MESSAGES, Mibs.BGP_PEER_IN_UPDATES, Mibs.BGP_PEER_OUT_UPDATES,
                    Mibs.BGP_PEER_FSM_ESTABLISHED_TRANSITIONS, Mibs.BGP_PEER_FSM_ESTABLISHED_TIME),
            Map.of(Mibs.BGP_PEER_STATE, List.of(Mibs.CBGP_PEER2_STATE)),
            join(companions(Mibs.CBGP_PEER2_STATE, Mibs.CBGP_PEER2_REMOTE_AS, Mibs.CBGP_PEER2_IN_UPDATES,
                            Mibs.CBGP_PEER2_OUT_UPDATES, Mibs.CBGP_PEER2_IN_TOTAL_MESSAGES,
                            Mibs.CBGP_PEER2_OUT_TOTAL_MESSAGES, Mibs.CBGP_PEER2_FSM_ESTABLISHED_TRANSITIONS,
                            Mibs.CBGP_PEER2_FSM_ESTABLISHED_TIME),
                    companions(Mibs.BGP_PEER_STATE, Mibs.BGP_PEER_REMOTE_AS, Mibs.BGP_PEER_IN_TOTAL_MESSAGES,
                            Mibs.BGP_PEER_OUT_TOTAL_MESSAGES, Mibs.BGP_PEER_IN_UPDATES, Mibs.BGP_PEER_OUT_UPDATES,
                            Mibs.BGP_PEER_FSM_ESTABLISHED_TRANSITIONS, Mibs.BGP_PEER_FSM_ESTABLISHED_TIME)), Set.of()),
    SYSTEM("system", List.of(Mibs.HR_SYSTEM_PROCESSES),
            List.of(Mibs.CPM_CPU_TOTAL_PHYSICAL_INDEX, Mibs.CPM_CPU_TOTAL_5SEC_REV, Mibs.CPM_CPU_TOTAL_1MIN_REV,
                    Mibs.CPM_CPU_TOTAL_5MIN_REV, Mibs.CPM_CPU_MEMORY_USED, Mibs.CPM_CPU_MEMORY_FREE,
                    Mibs.CISCO_MEMORY_POOL_USED, Mibs.CISCO_MEMORY_POOL_FREE, Mibs.CEMP_MEM_POOL_HC_USED,
                    Mibs.CEMP_MEM_POOL_TYPE, Mibs.CEMP_MEM_POOL_HC_FREE),
            Map.of(Mibs.CISCO_MEMORY_POOL_USED, List.of(Mibs.CPM_CPU_MEMORY_USED),
                    Mibs.CEMP_MEM_POOL_HC_USED, List.of(Mibs.CPM_CPU_MEMORY_USED, Mibs.CISCO_MEMORY_POOL_USED)),
            join(companions(Mibs.CISCO_MEMORY_POOL_USED, Mibs.CISCO_MEMORY_POOL_FREE),
                    companions(Mibs.CEMP_MEM_POOL_HC_USED, Mibs.CEMP_MEM_POOL_TYPE, Mibs.CEMP_MEM_POOL_HC_FREE)), Set.of());

    final String command;
    final List<OID> scalars;
    /** Every column the group may walk. */
    final List<OID> columns;
    /** The columns the probe asks for: all but the companions. */
    final List<OID> probed;
    /** A fallback column, by the columns any one of which makes it unneeded when present. */
    final Map<OID, List<OID>> fallbacks;
    /** A companion column, by the column of its table that the probe asks for instead. */
    final Map<OID, OID> companions;
    /**
     * Fallbacks the probe does not ask for: when what they stand in for is absent, they join a walk the group
     * makes anyway (the counters'), so knowing beforehand saves nothing.
     */
    final Set<OID> unprobedFallbacks;

    PollGroup(String command, List<OID> scalars, List<OID> columns, Map<OID, List<OID>> fallbacks,
            Map<OID, OID> companions, Set<OID> unprobedFallbacks) {
        this.command = command;
        this.scalars = scalars;
        this.columns = columns;
        this.fallbacks = fallbacks;
        this.companions = companions;
        this.unprobedFallbacks = unprobedFallbacks;
        this.probed = columns.stream().filter(c -> !companions.containsKey(c) && !unprobedFallbacks.contains(c)).toList();
    }

    private static Map<OID, OID> companions(OID column, OID... companions) {
        Map<OID, OID> map = new HashMap<>();
        for (OID companion : companions) {
            map.put(companion, column);
        }
        return Map.copyOf(map);
    }

    private static Map<OID, OID> join(Map<OID, OID> first, Map<OID, OID> second) {
        Map<OID, OID> map = new HashMap<>(first);
        map.putAll(second);
        return Map.copyOf(map);
    }

    /**
     * After the probe ({@code walker} has the first row of each probed column): stops walking the fallbacks
     * one of whose columns is there, or failed (a column the agent refused is not absent, and its fallback would
     * report other values under the same names, the 32-bit octets for the 64-bit ones, until it answers
     * again), then walks the companions of the columns that have rows.
     */
    void probed(SnmpWalker walker) {
        fallbacks.forEach((fallback, standsInFor) -> {
            if (standsInFor.stream().anyMatch(column -> !walker.table().column(column).isEmpty()
                    || walker.failures().containsKey(column))) {
                walker.drop(fallback);
            } else if (unprobedFallbacks.contains(fallback)) {
                walker.add(fallback);
            }
        });
        for (OID column : columns) { // in this order
            OID sentinel = companions.get(column);
            if (sentinel != null && !walker.table().column(sentinel).isEmpty()) {
                walker.add(column);
            }
        }
    }

    /**
     * After the walk: the single instances this group still needs, asked with GETs. The counters: the 32-bit
     * octets of ports without ifHC octets (a C9300's uplinks); the system: entPhysicalName of each CPU.
     */
    void getInstances(SnmpWalker walker) {
        SnmpTable table = walker.table();
        switch (this) {
            case COUNTERS -> {
                Map<OID, ?> hcIn = table.column(Mibs.IF_HC_IN_OCTETS);
                Map<OID, ?> hcOut = table.column(Mibs.IF_HC_OUT_OCTETS);
                Set<OID> rows = null; // the rows some column has and the 64-bit octets have not: usually none
                for (OID column : columns) {
                    for (OID row : table.column(column).keySet()) {
                        if (!hcIn.containsKey(row) || !hcOut.containsKey(row)) {
                            rows = rows == null ? new TreeSet<>() : rows;
                            rows.add(row);
                        }
                    }
                }
                for (OID row : rows == null ? Set.<OID>of() : rows) {
                    getUnlessThere(walker, Mibs.IF_HC_IN_OCTETS, Mibs.IF_IN_OCTETS, row);
                    getUnlessThere(walker, Mibs.IF_HC_OUT_OCTETS, Mibs.IF_OUT_OCTETS, row);
                }
            }
            case SYSTEM -> {
                for (int physical : SystemMetrics.cpuPhysicalIndexes(table)) {
                    walker.get(Mibs.ENT_PHYSICAL_NAME, new OID(new int[] {physical}));
                }
            }
            default -> {
            }
        }
    }

    /** GETs {@code fallback}.{@code row} when the agent has {@code column} but not that row of it. */
    private static void getUnlessThere(SnmpWalker walker, OID column, OID fallback, OID row) {
        SnmpTable table = walker.table();
        if (!table.column(column).isEmpty() && !table.column(column).containsKey(row)
                && !table.column(fallback).containsKey(row)) {
            walker.get(fallback, row);
        }
    }
}
