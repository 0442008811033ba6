import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;

/**
 * BGP peers to the original's {@code cisco_bgp_saf_*} metrics: from CISCO-BGP4-MIB's cbgpPeer2Table (IPv4 and
 * IPv6 peers, 4-byte AS numbers) where the agent has it, else from BGP4-MIB's bgpPeerTable (IPv4 peers).
 *
 * <p>The original listed each neighbor under each address family it has (NX-OS {@code show bgp all
 * summary}), with the family's {@code af_id}. So here: a peer's address families are the rows of
 * cbgpPeer2AddrFamilyPrefixTable and of the older, IPv4-only cbgpPeerAddrFamilyPrefixTable (IOS-XE keeps its
 * IPv4 peers there), each giving {@code af_id} (the AFI: 1 IPv4, 2 IPv6, 25 L2VPN) and {@code safi} (1 unicast,
 * 2 multicast, 128 VPN ...: the original had no such label, but without it IPv4 unicast and IPv4 multicast
 * would be one series), and that family's accepted prefixes; the peer's own values repeat under each family.
 * A peer with no family row is reported once, under {@code af_id} and {@code safi} "unknown".
 */
final class BgpMetrics {
    private static final String[] NEIGHBOR_LABELS = {"af_id", "neighborid", "router_id", "local_as", "neighboras", "safi"};
    private static final String[] FAMILY_LABELS = {"af_id", "router_id", "local_as", "safi"};
    private static final String UNKNOWN = SnmpValues.UNKNOWN;
    private static final int ESTABLISHED = 6;

    static final Families.Metric STATE = neighborGauge("cisco_bgp_saf_neighbor_state",
            "BGP neighbor state: idle 0, connect 1, active 2, opensent 3, openconfirm 4, established 5, -1 unknown "
                    + "(CISCO-BGP4-MIB cbgpPeer2State 1.3.6.1.4.1.9.9.187.1.2.5.1.3, else BGP4-MIB bgpPeerState "
                    + "1.3.6.1.2.1.15.3.1.2, minus 1)");
    static final Families.Metric MSG_RECVD = neighborCounter("cisco_bgp_saf_neighbor_msgrecvd_total",
            "BGP messages received from the neighbor (cbgpPeer2InTotalMessages 1.3.6.1.4.1.9.9.187.1.2.5.1.15, "
                    + "else bgpPeerInTotalMessages 1.3.6.1.2.1.15.3.1.12)");
    static final Families.Metric MSG_SENT = neighborCounter("cisco_bgp_saf_neighbor_msgsent_total",
            "BGP messages sent to the neighbor (cbgpPeer2OutTotalMessages 1.3.6.1.4.1.9.9.187.1.2.5.1.16, "
                    + "else bgpPeerOutTotalMessages 1.3.6.1.2.1.15.3.1.13)");
    static final Families.Metric UPDATES_RECVD = neighborCounter("cisco_bgp_saf_neighbor_updates_recvd_total",
            "BGP UPDATE messages received from the neighbor (cbgpPeer2InUpdates 1.3.6.1.4.1.9.9.187.1.2.5.1.13, "
                    + "else bgpPeerInUpdates 1.3.6.1.2.1.15.3.1.10)");
    static final Families.Metric UPDATES_SENT = neighborCounter("cisco_bgp_saf_neighbor_updates_sent_total",
            "BGP UPDATE messages sent to the neighbor (cbgpPeer2OutUpdates 1.3.6.1.4.1.9.9.187.1.2.5.1.14, "
                    + "else bgpPeerOutUpdates 1.3.6.1.2.1.15.3.1.11)");
    static final Families.Metric ESTABLISHED_TRANSITIONS = neighborCounter(
            "cisco_bgp_saf_neighbor_established_transitions_total",
            "Times the BGP session went to established (cbgpPeer2FsmEstablishedTransitions "
                    + "1.3.6.1.4.1.9.9.187.1.2.5.1.18, else bgpPeerFsmEstablishedTransitions 1.3.6.1.2.1.15.3.1.15)");
    static final Families.Metric ESTABLISHED_SECONDS = neighborGauge("cisco_bgp_saf_neighbor_established_seconds",
            "Seconds the BGP session has been established, or since it last was (cbgpPeer2FsmEstablishedTime "
                    + "1.3.6.1.4.1.9.9.187.1.2.5.1.19, else bgpPeerFsmEstablishedTime 1.3.6.1.2.1.15.3.1.16)");
    static final Families.Metric PREFIX_RECEIVED = neighborGauge("cisco_bgp_saf_neighbor_prefixreceived",
            "Prefixes accepted from the neighbor in the address family (CISCO-BGP4-MIB cbgpPeer2AcceptedPrefixes "
                    + "1.3.6.1.4.1.9.9.187.1.2.8.1.1, else cbgpPeerAcceptedPrefixes 1.3.6.1.4.1.9.9.187.1.2.4.1.1)");
    static final Families.Metric CONFIGURED_PEERS = Families.Metric.gauge("cisco_bgp_saf_configuredpeers",
            "BGP neighbors configured in the address family (rows of CISCO-BGP4-MIB's address family prefix tables)",
            FAMILY_LABELS);
    static final Families.Metric CAPABLE_PEERS = Families.Metric.gauge("cisco_bgp_saf_capablepeers",
            "BGP neighbors of the address family in state established (cbgpPeer2State or bgpPeerState 6)",
            FAMILY_LABELS);

    private BgpMetrics() {
    }

    private static Families.Metric neighborGauge(String name, String help) {
        return Families.Metric.gauge(name, help, NEIGHBOR_LABELS);
    }

    private static Families.Metric neighborCounter(String name, String help) {
        return Families.Metric.counter(name, help, NEIGHBOR_LABELS);
    }

    /** bgpPeerState / cbgpPeer2State idle(1) .. established(6) as the original numbered them (0 .. 5); else -1. */
    static double state(Variable peerState) {
        double value = SnmpValues.number(peerState);
        return Double.isNaN(value) ? value : value >= 1 && value <= 6 ? value - 1 : -1;
    }

    /** One peer: its cbgpPeer2 index (type, length, address), values by column, and prefixes by family. */
    record Peer(OID key, String address, Variable state, String remoteAs, String localAs, String routerId,
            Map<OID, Variable> values, Map<OID, Variable> families) {
    }

    /** The columns of a peer's own values: cbgpPeer2Table's, then BGP4-MIB's in the same order. */
    private static final List<OID> PEER2_VALUES = List.of(Mibs.CBGP_PEER2_IN_TOTAL_MESSAGES, Mibs.CBGP_PEER2_OUT_TOTAL_MESSAGES,
            Mibs.CBGP_PEER2_IN_UPDATES, Mibs.CBGP_PEER2_OUT_UPDATES, Mibs.CBGP_PEER2_FSM_ESTABLISHED_TRANSITIONS,
            Mibs.CBGP_PEER2_FSM_ESTABLISHED_TIME);
    private static final List<OID> BGP4_VALUES = List.of(Mibs.BGP_PEER_IN_TOTAL_MESSAGES, Mibs.BGP_PEER_OUT_TOTAL_MESSAGES,
            Mibs.BGP_PEER_IN_UPDATES, Mibs.BGP_PEER_OUT_UPDATES, Mibs.BGP_PEER_FSM_ESTABLISHED_TRANSITIONS,
            Mibs.BGP_PEER_FSM_ESTABLISHED_TIME);
    private static final List<Families.Metric> VALUE_METRICS = List.of(MSG_RECVD, MSG_SENT, UPDATES_RECVD, UPDATES_SENT,
            ESTABLISHED_TRANSITIONS, ESTABLISHED_SECONDS);

    /** The peers in {@code bgp}: cbgpPeer2Table's when it has rows, else BGP4-MIB's. */
    static List<Peer> peers(SnmpTable bgp) {
        Map<OID, Map<OID, Variable>> families = families(bgp);
        String localAs = firstLabel(bgp.scalar(Mibs.CBGP_LOCAL_AS), bgp.scalar(Mibs.BGP_LOCAL_AS));
        String routerId = label(bgp.scalar(Mibs.BGP_IDENTIFIER));
        List<Peer> peers = new ArrayList<>();
        boolean peer2 = !bgp.column(Mibs.CBGP_PEER2_STATE).isEmpty();
        OID stateColumn = peer2 ? Mibs.CBGP_PEER2_STATE : Mibs.BGP_PEER_STATE;
        for (Map.Entry<OID, Variable> row : bgp.column(stateColumn).entrySet()) {
            OID index = row.getKey();
            OID key = peer2 ? index : peer2Index(index);
            Map<OID, Variable> values = new LinkedHashMap<>();
            List<OID> columns = peer2 ? PEER2_VALUES : BGP4_VALUES;
            for (int i = 0; i < columns.size(); i++) {
                values.put(PEER2_VALUES.get(i), bgp.column(columns.get(i)).get(index));
            }
            String remoteAs = label(bgp.column(peer2 ? Mibs.CBGP_PEER2_REMOTE_AS : Mibs.BGP_PEER_REMOTE_AS).get(index));
            peers.add(new Peer(key, address(key), row.getValue(), remoteAs, localAs, routerId, values,
                    families.getOrDefault(key, Map.of())));
        }
        return peers;
    }

    /**
     * Each peer's address families, by its cbgpPeer2 index: {afi, safi} to its accepted prefixes, from both
     * prefix tables (cbgpPeer2's where both have a family).
     */
    static Map<OID, Map<OID, Variable>> families(SnmpTable bgp) {
        Map<OID, Map<OID, Variable>> families = new TreeMap<>();
        for (Map.Entry<OID, Variable> row : bgp.column(Mibs.CBGP_PEER_ACCEPTED_PREFIXES).entrySet()) {
            OID index = row.getKey(); // a.b.c.d.afi.safi
            if (index.size() == 6) {
                families.computeIfAbsent(peer2Index(new OID(index.getValue(), 0, 4)), k -> new TreeMap<>())
                        .put(new OID(index.getValue(), 4, 2), row.getValue());
            }
        }
        for (Map.Entry<OID, Variable> row : bgp.column(Mibs.CBGP_PEER2_ACCEPTED_PREFIXES).entrySet()) {
            OID index = row.getKey(); // type.length.address.afi.safi
            if (index.size() >= 4 && index.size() == index.get(1) + 4) {
                families.computeIfAbsent(new OID(index.getValue(), 0, index.size() - 2), k -> new TreeMap<>())
                        .put(new OID(index.getValue(), index.size() - 2, 2), row.getValue());
            }
        }
        return families;
    }

    /** A BGP4-MIB index (an IPv4 address) as a cbgpPeer2 index: ipv4(1), length 4, the address. */
    static OID peer2Index(OID ipv4) {
        return new OID(new int[] {1, 4}).append(ipv4);
    }

    /**
     * The peer's address from its cbgpPeer2 index: IPv4 dotted, IPv6 as RFC 5952 writes it, a zone after
     * {@code %}; an index of another form as its dotted sub-identifiers.
     */
    static String address(OID key) {
        if (key.size() < 2 || key.size() != key.get(1) + 2) {
            return key.toDottedString();
        }
        int type = key.get(0);
        int length = key.get(1);
        int[] bytes = new int[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = key.get(2 + i);
        }
        if ((type == 1 && length == 4) || (type == 3 && length == 8)) {
            String address = bytes[0] + "." + bytes[1] + "." + bytes[2] + "." + bytes[3];
            return length == 8 ? address + "%" + zone(bytes, 4) : address;
        }
        if ((type == 2 && length == 16) || (type == 4 && length == 20)) {
            String address = ipv6(bytes);
            return length == 20 ? address + "%" + zone(bytes, 16) : address;
        }
        return key.toDottedString();
    }

    private static long zone(int[] bytes, int from) {
        long zone = 0;
        for (int i = from; i < from + 4; i++) {
            zone = zone << 8 | (bytes[i] & 0xff);
        }
        return zone;
    }

    /** RFC 5952: lower-case hex, no leading zeros, the longest run of two or more zero groups as {@code ::}. */
    static String ipv6(int[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    static void add(Families families, String instance, SnmpTable bgp) {
        Map<List<String>, int[]> perFamily = new LinkedHashMap<>(); // {configured, established}
        for (Peer peer : peers(bgp)) {
            Map<OID, Variable> peerFamilies = peer.families().isEmpty() ? unknownFamily() : peer.families();
            for (Map.Entry<OID, Variable> family : peerFamilies.entrySet()) {
                String afi = family.getKey().size() == 2 ? Integer.toString(family.getKey().get(0)) : UNKNOWN;
                String safi = family.getKey().size() == 2 ? Integer.toString(family.getKey().get(1)) : UNKNOWN;
                String[] labels = {instance, afi, peer.address(), peer.routerId(), peer.localAs(), peer.remoteAs(), safi};
                families.add(STATE, state(peer.state()), labels);
                for (int i = 0; i < VALUE_METRICS.size(); i++) {
                    families.add(VALUE_METRICS.get(i), SnmpValues.number(peer.values().get(PEER2_VALUES.get(i))), labels);
                }
                families.add(PREFIX_RECEIVED, SnmpValues.number(family.getValue()), labels);
                int[] counts = perFamily.computeIfAbsent(List.of(afi, peer.routerId(), peer.localAs(), safi), k -> new int[2]);
                counts[0]++;
                if (SnmpValues.number(peer.state()) == ESTABLISHED) {
                    counts[1]++;
                }
            }
        }
        perFamily.forEach((labels, counts) -> {
            String[] values = {instance, labels.get(0), labels.get(1), labels.get(2), labels.get(3)};
            families.add(CONFIGURED_PEERS, counts[0], values);
            families.add(CAPABLE_PEERS, counts[1], values);
        });
    }

    private static Map<OID, Variable> unknownFamily() {
        Map<OID, Variable> unknown = new TreeMap<>();
        unknown.put(new OID(), null);
        return unknown;
    }

    /** A number or address as a label; {@code unknown} when the agent has none. */
    static String label(Variable value) {
        double number = SnmpValues.number(value);
        if (!Double.isNaN(number)) {
            return Long.toString((long) number);
        }
        return SnmpValues.textOrUnknown(value);
    }

    private static String firstLabel(Variable first, Variable second) {
        String label = label(first);
        return label.equals(UNKNOWN) ? label(second) : label;
    }
}
