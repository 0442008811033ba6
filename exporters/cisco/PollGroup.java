import java.util.List;
import org.snmp4j.smi.OID;

/**
 * The four groups of SNMP requests made to a target, concurrently; each is one multi-column walk and
 * reports its time as {@code cisco_command_runtime{command="<name>"}} (the original timed each NX-OS command).
 */
enum PollGroup {
    INTERFACES("interfaces", List.of(),
            List.of(Mibs.IF_DESCR, Mibs.IF_TYPE, Mibs.IF_PHYS_ADDRESS, Mibs.IF_ADMIN_STATUS, Mibs.IF_OPER_STATUS,
                    Mibs.IF_NAME, Mibs.IF_HIGH_SPEED, Mibs.IF_ALIAS, Mibs.VLAN_TRUNK_PORT_DYNAMIC_STATUS)),
    COUNTERS("counters", List.of(),
            List.of(Mibs.IF_HC_IN_OCTETS, Mibs.IF_HC_IN_UCAST_PKTS, Mibs.IF_HC_IN_MULTICAST_PKTS,
                    Mibs.IF_HC_IN_BROADCAST_PKTS, Mibs.IF_HC_OUT_OCTETS, Mibs.IF_HC_OUT_UCAST_PKTS,
                    Mibs.IF_HC_OUT_MULTICAST_PKTS, Mibs.IF_HC_OUT_BROADCAST_PKTS, Mibs.IF_IN_DISCARDS,
                    Mibs.IF_IN_ERRORS, Mibs.IF_OUT_DISCARDS, Mibs.IF_OUT_ERRORS)),
    BGP("bgp", List.of(Mibs.BGP_LOCAL_AS, Mibs.BGP_IDENTIFIER),
            List.of(Mibs.BGP_PEER_STATE, Mibs.BGP_PEER_REMOTE_AS, Mibs.BGP_PEER_IN_TOTAL_MESSAGES,
                    Mibs.BGP_PEER_OUT_TOTAL_MESSAGES, Mibs.BGP_PEER_IN_UPDATES, Mibs.BGP_PEER_OUT_UPDATES,
                    Mibs.BGP_PEER_FSM_ESTABLISHED_TRANSITIONS, Mibs.BGP_PEER_FSM_ESTABLISHED_TIME)),
    SYSTEM("system", List.of(Mibs.HR_SYSTEM_PROCESSES),
            List.of(Mibs.CPM_CPU_TOTAL_5SEC_REV, Mibs.CPM_CPU_TOTAL_1MIN_REV, Mibs.CPM_CPU_TOTAL_5MIN_REV,
                    Mibs.CPM_CPU_MEMORY_USED, Mibs.CPM_CPU_MEMORY_FREE));

    final String command;
    final List<OID> scalars;
    final List<OID> columns;

    PollGroup(String command, List<OID> scalars, List<OID> columns) {
        this.command = command;
        this.scalars = scalars;
        this.columns = columns;
    }
}
