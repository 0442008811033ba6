import java.util.HashMap;
import java.util.Map;
import org.snmp4j.smi.OID;

/**
 * The OIDs the exporter reads (from the MIBs named beside them); the metrics' HELP texts name them too.
 * snmp4j's OIDs are mutable: these are shared by every run, so nothing may change them in place.
 */
final class Mibs {
    private Mibs() {
    }

    private static final Map<OID, String> NAMES = new HashMap<>();

    private static OID oid(String dotted, String mibObject) {
        OID oid = new OID(dotted);
        NAMES.put(oid, mibObject);
        return oid;
    }

    // IF-MIB ifNumber: the rows of ifTable, a hint of how many rows to ask for at once
    static final OID IF_NUMBER = oid("1.3.6.1.2.1.2.1", "IF-MIB ifNumber");

    // IF-MIB ifTable (1.3.6.1.2.1.2.2.1), indexed by ifIndex
    static final OID IF_DESCR = oid("1.3.6.1.2.1.2.2.1.2", "IF-MIB ifDescr");
    static final OID IF_TYPE = oid("1.3.6.1.2.1.2.2.1.3", "IF-MIB ifType");
    static final OID IF_PHYS_ADDRESS = oid("1.3.6.1.2.1.2.2.1.6", "IF-MIB ifPhysAddress");
    static final OID IF_ADMIN_STATUS = oid("1.3.6.1.2.1.2.2.1.7", "IF-MIB ifAdminStatus");
    static final OID IF_OPER_STATUS = oid("1.3.6.1.2.1.2.2.1.8", "IF-MIB ifOperStatus");
    static final OID IF_IN_OCTETS = oid("1.3.6.1.2.1.2.2.1.10", "IF-MIB ifInOctets");
    static final OID IF_IN_DISCARDS = oid("1.3.6.1.2.1.2.2.1.13", "IF-MIB ifInDiscards");
    static final OID IF_IN_ERRORS = oid("1.3.6.1.2.1.2.2.1.14", "IF-MIB ifInErrors");
    static final OID IF_OUT_OCTETS = oid("1.3.6.1.2.1.2.2.1.16", "IF-MIB ifOutOctets");
    static final OID IF_OUT_DISCARDS = oid("1.3.6.1.2.1.2.2.1.19", "IF-MIB ifOutDiscards");
    static final OID IF_OUT_ERRORS = oid("1.3.6.1.2.1.2.2.1.20", "IF-MIB ifOutErrors");

    // IF-MIB ifXTable (1.3.6.1.2.1.31.1.1.1), indexed by ifIndex
    static final OID IF_NAME = oid("1.3.6.1.2.1.31.1.1.1.1", "IF-MIB ifName");
    static final OID IF_HC_IN_OCTETS = oid("1.3.6.1.2.1.31.1.1.1.6", "IF-MIB ifHCInOctets");
    static final OID IF_HC_IN_UCAST_PKTS = oid("1.3.6.1.2.1.31.1.1.1.7", "IF-MIB ifHCInUcastPkts");
    static final OID IF_HC_IN_MULTICAST_PKTS = oid("1.3.6.1.2.1.31.1.1.1.8", "IF-MIB ifHCInMulticastPkts");
    static final OID IF_HC_IN_BROADCAST_PKTS = oid("1.3.6.1.2.1.31.1.1.1.9", "IF-MIB ifHCInBroadcastPkts");
    static final OID IF_HC_OUT_OCTETS = oid("1.3.6.1.2.1.31.1.1.1.10", "IF-MIB ifHCOutOctets");
    static final OID IF_HC_OUT_UCAST_PKTS = oid("1.3.6.1.2.1.31.1.1.1.11", "IF-MIB ifHCOutUcastPkts");
    static final OID IF_HC_OUT_MULTICAST_PKTS = oid("1.3.6.1.2.1.31.1.1.1.12", "IF-MIB ifHCOutMulticastPkts");
    static final OID IF_HC_OUT_BROADCAST_PKTS = oid("1.3.6.1.2.1.31.1.1.1.13", "IF-MIB ifHCOutBroadcastPkts");
    static final OID IF_HIGH_SPEED = oid("1.3.6.1.2.1.31.1.1.1.15", "IF-MIB ifHighSpeed");
    static final OID IF_ALIAS = oid("1.3.6.1.2.1.31.1.1.1.18", "IF-MIB ifAlias");

    /** IANAifType values the interface rules use. */
    static final int IF_TYPE_IEEE8023AD_LAG = 161;
    static final int IF_TYPE_MPLS = 166;

    // EtherLike-MIB dot3StatsTable, indexed by dot3StatsIndex (an ifIndex)
    static final OID DOT3_STATS_FRAME_TOO_LONGS = oid("1.3.6.1.2.1.10.7.2.1.13", "EtherLike-MIB dot3StatsFrameTooLongs");

    // CISCO-IF-EXTENSION-MIB cieIfPacketStatsTable, indexed by ifIndex
    static final OID CIE_IF_IN_GIANTS_ERRS = oid("1.3.6.1.4.1.9.9.276.1.1.1.1.5", "CISCO-IF-EXTENSION-MIB cieIfInGiantsErrs");

    // CISCO-VTP-MIB vlanTrunkPortTable, indexed by ifIndex
    /** trunking(1), notTrunking(2). */
    static final OID VLAN_TRUNK_PORT_DYNAMIC_STATUS = oid("1.3.6.1.4.1.9.9.46.1.6.1.1.14",
            "CISCO-VTP-MIB vlanTrunkPortDynamicStatus");
    /** isl(1), dot10(2), lane(3), dot1Q(4), negotiating(5), notApplicable(6): the encapsulation a trunk uses now. */
    static final OID VLAN_TRUNK_PORT_ENCAPSULATION_OPER_TYPE = oid("1.3.6.1.4.1.9.9.46.1.6.1.1.16",
            "CISCO-VTP-MIB vlanTrunkPortEncapsulationOperType");

    // CISCO-VLAN-MEMBERSHIP-MIB vmMembershipTable, indexed by ifIndex: the access VLAN of a port
    static final OID VM_VLAN = oid("1.3.6.1.4.1.9.9.68.1.2.2.1.2", "CISCO-VLAN-MEMBERSHIP-MIB vmVlan");

    // BGP4-MIB: scalars, and bgpPeerTable (1.3.6.1.2.1.15.3.1) indexed by the peer's IPv4 address
    static final OID BGP_LOCAL_AS = oid("1.3.6.1.2.1.15.2", "BGP4-MIB bgpLocalAs");
    static final OID BGP_IDENTIFIER = oid("1.3.6.1.2.1.15.4", "BGP4-MIB bgpIdentifier");
    static final OID BGP_PEER_STATE = oid("1.3.6.1.2.1.15.3.1.2", "BGP4-MIB bgpPeerState");
    static final OID BGP_PEER_REMOTE_AS = oid("1.3.6.1.2.1.15.3.1.9", "BGP4-MIB bgpPeerRemoteAs");
    static final OID BGP_PEER_IN_UPDATES = oid("1.3.6.1.2.1.15.3.1.10", "BGP4-MIB bgpPeerInUpdates");
    static final OID BGP_PEER_OUT_UPDATES = oid("1.3.6.1.2.1.15.3.1.11", "BGP4-MIB bgpPeerOutUpdates");
    static final OID BGP_PEER_IN_TOTAL_MESSAGES = oid("1.3.6.1.2.1.15.3.1.12", "BGP4-MIB bgpPeerInTotalMessages");
    static final OID BGP_PEER_OUT_TOTAL_MESSAGES = oid("1.3.6.1.2.1.15.3.1.13", "BGP4-MIB bgpPeerOutTotalMessages");
    static final OID BGP_PEER_FSM_ESTABLISHED_TRANSITIONS = oid("1.3.6.1.2.1.15.3.1.15",
            "BGP4-MIB bgpPeerFsmEstablishedTransitions");
    static final OID BGP_PEER_FSM_ESTABLISHED_TIME = oid("1.3.6.1.2.1.15.3.1.16", "BGP4-MIB bgpPeerFsmEstablishedTime");

    // CISCO-BGP4-MIB: cbgpLocalAs (4-byte), cbgpPeer2Table (1.3.6.1.4.1.9.9.187.1.2.5.1) of IPv4 and IPv6 peers,
    // indexed by cbgpPeer2Type (InetAddressType) and cbgpPeer2RemoteAddr (length, then the address bytes)
    static final OID CBGP_LOCAL_AS = oid("1.3.6.1.4.1.9.9.187.1.3.2", "CISCO-BGP4-MIB cbgpLocalAs");
    static final OID CBGP_PEER2_STATE = oid("1.3.6.1.4.1.9.9.187.1.2.5.1.3", "CISCO-BGP4-MIB cbgpPeer2State");
    static final OID CBGP_PEER2_REMOTE_AS = oid("1.3.6.1.4.1.9.9.187.1.2.5.1.11", "CISCO-BGP4-MIB cbgpPeer2RemoteAs");
    static final OID CBGP_PEER2_IN_UPDATES = oid("1.3.6.1.4.1.9.9.187.1.2.5.1.13", "CISCO-BGP4-MIB cbgpPeer2InUpdates");
    static final OID CBGP_PEER2_OUT_UPDATES = oid("1.3.6.1.4.1.9.9.187.1.2.5.1.14", "CISCO-BGP4-MIB cbgpPeer2OutUpdates");
    static final OID CBGP_PEER2_IN_TOTAL_MESSAGES = oid("1.3.6.1.4.1.9.9.187.1.2.5.1.15",
            "CISCO-BGP4-MIB cbgpPeer2InTotalMessages");
    static final OID CBGP_PEER2_OUT_TOTAL_MESSAGES = oid("1.3.6.1.4.1.9.9.187.1.2.5.1.16",
            "CISCO-BGP4-MIB cbgpPeer2OutTotalMessages");
    static final OID CBGP_PEER2_FSM_ESTABLISHED_TRANSITIONS = oid("1.3.6.1.4.1.9.9.187.1.2.5.1.18",
            "CISCO-BGP4-MIB cbgpPeer2FsmEstablishedTransitions");
    static final OID CBGP_PEER2_FSM_ESTABLISHED_TIME = oid("1.3.6.1.4.1.9.9.187.1.2.5.1.19",
            "CISCO-BGP4-MIB cbgpPeer2FsmEstablishedTime");
    /** cbgpPeer2AddrFamilyPrefixTable: the peer2 index, then the AFI and SAFI. */
    static final OID CBGP_PEER2_ACCEPTED_PREFIXES = oid("1.3.6.1.4.1.9.9.187.1.2.8.1.1",
            "CISCO-BGP4-MIB cbgpPeer2AcceptedPrefixes");
    /** cbgpPeerAddrFamilyPrefixTable (IPv4 peers only): the peer's address, then the AFI and SAFI. */
    static final OID CBGP_PEER_ACCEPTED_PREFIXES = oid("1.3.6.1.4.1.9.9.187.1.2.4.1.1",
            "CISCO-BGP4-MIB cbgpPeerAcceptedPrefixes");

    // CISCO-PROCESS-MIB cpmCPUTotalTable (1.3.6.1.4.1.9.9.109.1.1.1.1), indexed by cpmCPUTotalIndex
    static final OID CPM_CPU_TOTAL_PHYSICAL_INDEX = oid("1.3.6.1.4.1.9.9.109.1.1.1.1.2",
            "CISCO-PROCESS-MIB cpmCPUTotalPhysicalIndex");
    static final OID CPM_CPU_TOTAL_5SEC_REV = oid("1.3.6.1.4.1.9.9.109.1.1.1.1.6", "CISCO-PROCESS-MIB cpmCPUTotal5secRev");
    static final OID CPM_CPU_TOTAL_1MIN_REV = oid("1.3.6.1.4.1.9.9.109.1.1.1.1.7", "CISCO-PROCESS-MIB cpmCPUTotal1minRev");
    static final OID CPM_CPU_TOTAL_5MIN_REV = oid("1.3.6.1.4.1.9.9.109.1.1.1.1.8", "CISCO-PROCESS-MIB cpmCPUTotal5minRev");
    static final OID CPM_CPU_MEMORY_USED = oid("1.3.6.1.4.1.9.9.109.1.1.1.1.12", "CISCO-PROCESS-MIB cpmCPUMemoryUsed");
    static final OID CPM_CPU_MEMORY_FREE = oid("1.3.6.1.4.1.9.9.109.1.1.1.1.13", "CISCO-PROCESS-MIB cpmCPUMemoryFree");

    // CISCO-MEMORY-POOL-MIB ciscoMemoryPoolTable, indexed by ciscoMemoryPoolType: processor(1), bytes
    static final OID CISCO_MEMORY_POOL_USED = oid("1.3.6.1.4.1.9.9.48.1.1.1.5", "CISCO-MEMORY-POOL-MIB ciscoMemoryPoolUsed");
    static final OID CISCO_MEMORY_POOL_FREE = oid("1.3.6.1.4.1.9.9.48.1.1.1.6", "CISCO-MEMORY-POOL-MIB ciscoMemoryPoolFree");
    static final OID PROCESSOR_POOL = new OID(new int[] {1});

    // CISCO-ENHANCED-MEMPOOL-MIB cempMemPoolTable (IOS-XR, IOS-XE), indexed by entPhysicalIndex and pool, bytes;
    // the 64-bit columns, as the 32-bit ones overflow on routers with more than 4 GiB
    static final OID CEMP_MEM_POOL_TYPE = oid("1.3.6.1.4.1.9.9.221.1.1.1.1.2", "CISCO-ENHANCED-MEMPOOL-MIB cempMemPoolType");
    static final OID CEMP_MEM_POOL_HC_USED = oid("1.3.6.1.4.1.9.9.221.1.1.1.1.18",
            "CISCO-ENHANCED-MEMPOOL-MIB cempMemPoolHCUsed");
    static final OID CEMP_MEM_POOL_HC_FREE = oid("1.3.6.1.4.1.9.9.221.1.1.1.1.20",
            "CISCO-ENHANCED-MEMPOOL-MIB cempMemPoolHCFree");
    /** cempMemPoolType processorMemory(2) */
    static final int CEMP_PROCESSOR_MEMORY = 2;

    // ENTITY-MIB entPhysicalTable, indexed by entPhysicalIndex: read by instance, never walked (thousands of rows)
    static final OID ENT_PHYSICAL_NAME = oid("1.3.6.1.2.1.47.1.1.1.1.7", "ENTITY-MIB entPhysicalName");

    // HOST-RESOURCES-MIB
    static final OID HR_SYSTEM_PROCESSES = oid("1.3.6.1.2.1.25.1.6", "HOST-RESOURCES-MIB hrSystemProcesses");

    /** {@code root} for a message: {@code IF-MIB ifHCInOctets (1.3.6.1.2.1.31.1.1.1.6)}. */
    static String describe(OID root) {
        String name = NAMES.get(root);
        return name == null ? root.toDottedString() : name + " (" + root.toDottedString() + ")";
    }
}
