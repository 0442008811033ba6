import java.util.Map;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;

/** BGP4-MIB's bgpPeerTable to the original's {@code cisco_bgp_saf_neighbor_*} metrics. */
final class BgpMetrics {
    private static final String[] LABELS = {"neighborid", "neighboras", "local_as", "router_id"};

    static final Families.Metric STATE = Families.Metric.gauge("cisco_bgp_saf_neighbor_state",
            "BGP neighbor state: idle 0, connect 1, active 2, opensent 3, openconfirm 4, established 5, -1 unknown "
                    + "(BGP4-MIB bgpPeerState 1.3.6.1.2.1.15.3.1.2, minus 1)", LABELS);
    static final Families.Metric MSG_RECVD = Families.Metric.gauge("cisco_bgp_saf_neighbor_msgrecvd",
            "BGP messages received from the neighbor (BGP4-MIB bgpPeerInTotalMessages 1.3.6.1.2.1.15.3.1.12)", LABELS);
    static final Families.Metric MSG_SENT = Families.Metric.gauge("cisco_bgp_saf_neighbor_msgsent",
            "BGP messages sent to the neighbor (BGP4-MIB bgpPeerOutTotalMessages 1.3.6.1.2.1.15.3.1.13)", LABELS);
    static final Families.Metric UPDATES_RECVD = Families.Metric.gauge("cisco_bgp_saf_neighbor_updates_recvd",
            "BGP UPDATE messages received from the neighbor (BGP4-MIB bgpPeerInUpdates 1.3.6.1.2.1.15.3.1.10)", LABELS);
    static final Families.Metric UPDATES_SENT = Families.Metric.gauge("cisco_bgp_saf_neighbor_updates_sent",
            "BGP UPDATE messages sent to the neighbor (BGP4-MIB bgpPeerOutUpdates 1.3.6.1.2.1.15.3.1.11)", LABELS);
    static final Families.Metric ESTABLISHED_TRANSITIONS = Families.Metric.gauge(
            "cisco_bgp_saf_neighbor_established_transitions",
            "Times the BGP session went to established (BGP4-MIB bgpPeerFsmEstablishedTransitions 1.3.6.1.2.1.15.3.1.15)",
            LABELS);
    static final Families.Metric ESTABLISHED_SECONDS = Families.Metric.gauge(
            "cisco_bgp_saf_neighbor_established_seconds",
            "Seconds the BGP session has been established, or since it last was "
                    + "(BGP4-MIB bgpPeerFsmEstablishedTime 1.3.6.1.2.1.15.3.1.16)", LABELS);

    private BgpMetrics() {
    }

    /** bgpPeerState idle(1) .. established(6) as the original numbered them (0 .. 5); anything else -1. */
    static double state(Variable bgpPeerState) {
        double value = SnmpValues.number(bgpPeerState);
        return Double.isNaN(value) ? value : value >= 1 && value <= 6 ? value - 1 : -1;
    }

    static void add(Families families, String instance, SnmpTable bgp) {
        String localAs = label(bgp.scalar(Mibs.BGP_LOCAL_AS));
        String routerId = label(bgp.scalar(Mibs.BGP_IDENTIFIER));
        for (Map.Entry<OID, Variable> peer : bgp.column(Mibs.BGP_PEER_STATE).entrySet()) {
            OID index = peer.getKey(); // the peer's IPv4 address, four sub-identifiers
            String[] labels = {instance, index.toDottedString(), label(bgp.column(Mibs.BGP_PEER_REMOTE_AS).get(index)),
                localAs, routerId};
            families.add(STATE, state(peer.getValue()), labels);
            families.add(MSG_RECVD, number(bgp, Mibs.BGP_PEER_IN_TOTAL_MESSAGES, index), labels);
            families.add(MSG_SENT, number(bgp, Mibs.BGP_PEER_OUT_TOTAL_MESSAGES, index), labels);
            families.add(UPDATES_RECVD, number(bgp, Mibs.BGP_PEER_IN_UPDATES, index), labels);
            families.add(UPDATES_SENT, number(bgp, Mibs.BGP_PEER_OUT_UPDATES, index), labels);
            families.add(ESTABLISHED_TRANSITIONS, number(bgp, Mibs.BGP_PEER_FSM_ESTABLISHED_TRANSITIONS, index), labels);
            families.add(ESTABLISHED_SECONDS, number(bgp, Mibs.BGP_PEER_FSM_ESTABLISHED_TIME, index), labels);
        }
    }

    private static double number(SnmpTable bgp, OID column, OID index) {
        return SnmpValues.number(bgp.column(column).get(index));
    }

    /** A number or address as a label; {@code unknown} when the agent has none. */
    private static String label(Variable value) {
        double number = SnmpValues.number(value);
        if (!Double.isNaN(number)) {
            return Long.toString((long) number);
        }
        return SnmpValues.textOrUnknown(value);
    }
}
