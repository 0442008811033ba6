import org.snmp4j.smi.OID;

/** The OIDs the exporter reads; the metrics' HELP texts name them too. */
final class Mibs {
    private Mibs() {
    }

    // IF-MIB ifNumber: the rows of ifTable, a hint of how many rows to ask for at once
    static final OID IF_NUMBER = new OID("1.3.6.1.2.1.2.1");

    // IF-MIB ifTable (1.3.6.1.2.1.2.2.1), indexed by ifIndex
    static final OID IF_DESCR = new OID("1.3.6.1.2.1.2.2.1.2");
    static final OID IF_TYPE = new OID("1.3.6.1.2.1.2.2.1.3");
    static final OID IF_PHYS_ADDRESS = new OID("1.3.6.1.2.1.2.2.1.6");
    static final OID IF_ADMIN_STATUS = new OID("1.3.6.1.2.1.2.2.1.7");
    static final OID IF_OPER_STATUS = new OID("1.3.6.1.2.1.2.2.1.8");
    static final OID IF_IN_DISCARDS = new OID("1.3.6.1.2.1.2.2.1.13");
    static final OID IF_IN_ERRORS = new OID("1.3.6.1.2.1.2.2.1.14");
    static final OID IF_OUT_DISCARDS = new OID("1.3.6.1.2.1.2.2.1.19");
    static final OID IF_OUT_ERRORS = new OID("1.3.6.1.2.1.2.2.1.20");

    // IF-MIB ifXTable (1.3.6.1.2.1.31.1.1.1), indexed by ifIndex
    static final OID IF_NAME = new OID("1.3.6.1.2.1.31.1.1.1.1");
    static final OID IF_HC_IN_OCTETS = new OID("1.3.6.1.2.1.31.1.1.1.6");
    static final OID IF_HC_IN_UCAST_PKTS = new OID("1.3.6.1.2.1.31.1.1.1.7");
    static final OID IF_HC_IN_MULTICAST_PKTS = new OID("1.3.6.1.2.1.31.1.1.1.8");
    static final OID IF_HC_IN_BROADCAST_PKTS = new OID("1.3.6.1.2.1.31.1.1.1.9");
    static final OID IF_HC_OUT_OCTETS = new OID("1.3.6.1.2.1.31.1.1.1.10");
    static final OID IF_HC_OUT_UCAST_PKTS = new OID("1.3.6.1.2.1.31.1.1.1.11");
    static final OID IF_HC_OUT_MULTICAST_PKTS = new OID("1.3.6.1.2.1.31.1.1.1.12");
    static final OID IF_HC_OUT_BROADCAST_PKTS = new OID("1.3.6.1.2.1.31.1.1.1.13");
    static final OID IF_HIGH_SPEED = new OID("1.3.6.1.2.1.31.1.1.1.15");
    static final OID IF_ALIAS = new OID("1.3.6.1.2.1.31.1.1.1.18");

    /** IANAifType propVirtual: what Cisco gives SVIs. */
    static final int IF_TYPE_PROP_VIRTUAL = 53;

    // CISCO-VTP-MIB vlanTrunkPortTable, indexed by ifIndex: trunking(1), notTrunking(2)
    static final OID VLAN_TRUNK_PORT_DYNAMIC_STATUS = new OID("1.3.6.1.4.1.9.9.46.1.6.1.1.14");

    // BGP4-MIB: scalars, and bgpPeerTable (1.3.6.1.2.1.15.3.1) indexed by the peer's address
    static final OID BGP_LOCAL_AS = new OID("1.3.6.1.2.1.15.2");
    static final OID BGP_IDENTIFIER = new OID("1.3.6.1.2.1.15.4");
    static final OID BGP_PEER_STATE = new OID("1.3.6.1.2.1.15.3.1.2");
    static final OID BGP_PEER_REMOTE_AS = new OID("1.3.6.1.2.1.15.3.1.9");
    static final OID BGP_PEER_IN_UPDATES = new OID("1.3.6.1.2.1.15.3.1.10");
    static final OID BGP_PEER_OUT_UPDATES = new OID("1.3.6.1.2.1.15.3.1.11");
    static final OID BGP_PEER_IN_TOTAL_MESSAGES = new OID("1.3.6.1.2.1.15.3.1.12");
    static final OID BGP_PEER_OUT_TOTAL_MESSAGES = new OID("1.3.6.1.2.1.15.3.1.13");
    static final OID BGP_PEER_FSM_ESTABLISHED_TRANSITIONS = new OID("1.3.6.1.2.1.15.3.1.15");
    static final OID BGP_PEER_FSM_ESTABLISHED_TIME = new OID("1.3.6.1.2.1.15.3.1.16");

    // CISCO-PROCESS-MIB cpmCPUTotalTable (1.3.6.1.4.1.9.9.109.1.1.1.1), indexed by cpmCPUTotalIndex
    static final OID CPM_CPU_TOTAL_5SEC_REV = new OID("1.3.6.1.4.1.9.9.109.1.1.1.1.6");
    static final OID CPM_CPU_TOTAL_1MIN_REV = new OID("1.3.6.1.4.1.9.9.109.1.1.1.1.7");
    static final OID CPM_CPU_TOTAL_5MIN_REV = new OID("1.3.6.1.4.1.9.9.109.1.1.1.1.8");
    static final OID CPM_CPU_MEMORY_USED = new OID("1.3.6.1.4.1.9.9.109.1.1.1.1.12");
    static final OID CPM_CPU_MEMORY_FREE = new OID("1.3.6.1.4.1.9.9.109.1.1.1.1.13");

    // HOST-RESOURCES-MIB
    static final OID HR_SYSTEM_PROCESSES = new OID("1.3.6.1.2.1.25.1.6");
}
