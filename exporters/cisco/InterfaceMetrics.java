import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;

/**
 * IF-MIB (with CISCO-VTP-MIB, CISCO-VLAN-MEMBERSHIP-MIB, CISCO-IF-EXTENSION-MIB and EtherLike-MIB) to the
 * original's {@code cisco_eth_*} and {@code cisco_svi_*} metrics.
 *
 * <p>Which interfaces are what ({@link #kind}), by what the data says rather than by ifType 53 (propVirtual),
 * which Cisco gives SVIs but also port-channels, stack ports and "unrouted VLAN" interfaces:
 * <ol>
 * <li>left out: MPLS layers (ifType 166: a layer of the port below it, under the port's own ifName) and
 * Catalyst "unrouted VLAN" interfaces (ifDescr {@code unrouted VLAN 10}, ifName {@code VLAN-10}: internal, and
 * neither routed nor ports);
 * <li>ethernet: link aggregates (ifType 161, ieee8023adLag: IOS-XR's Bundle-Ether), port-channels by name
 * (IOS and NX-OS give them ifType 53), and switchports (a row in CISCO-VTP-MIB's vlanTrunkPortTable or
 * CISCO-VLAN-MEMBERSHIP-MIB's vmMembershipTable);
 * <li>SVI: a routed VLAN interface, named {@code Vlan10} (IOS ifName {@code Vl10}), or its IOS-XE and
 * IOS-XR kin {@code BDI10} and {@code BVI10} (routed bridge-domain interfaces);
 * <li>ethernet: every other interface (ports, mgmt0, loopbacks, tunnels, stack ports, sub-interfaces), as the
 * original counted everything that was not an SVI.
 * </ol>
 * The {@code interface} label is ifName (ifDescr without it); when two interfaces reported in the same family
 * would share it, each takes its ifDescr, or when that does not tell them apart, the name and its ifIndex.
 */
final class InterfaceMetrics {
    private static final String BYTES_IN_SOURCE = "IF-MIB ifHCInOctets 1.3.6.1.2.1.31.1.1.1.6, else the 32-bit "
            + "ifInOctets 1.3.6.1.2.1.2.2.1.10";
    private static final String BYTES_OUT_SOURCE = "IF-MIB ifHCOutOctets 1.3.6.1.2.1.31.1.1.1.10, else the 32-bit "
            + "ifOutOctets 1.3.6.1.2.1.2.2.1.16";

    static final Families.Metric ETH_STATE = ethGauge("cisco_eth_state",
            "Ethernet interface operational state: 1 up, 0 down, -1 other (IF-MIB ifOperStatus 1.3.6.1.2.1.2.2.1.8)");
    static final Families.Metric ETH_ADMIN_STATE = ethGauge("cisco_eth_admin_state",
            "Ethernet interface administrative state: 1 up, 0 down, -1 other (IF-MIB ifAdminStatus 1.3.6.1.2.1.2.2.1.7)");
    static final Families.Metric ETH_BW = ethGauge("cisco_eth_bw",
            "Ethernet interface bandwidth in Mbit/s (IF-MIB ifHighSpeed 1.3.6.1.2.1.31.1.1.1.15)");
    static final Families.Metric ETH_MODE = ethGauge("cisco_eth_mode",
            "Ethernet switchport mode: 1 trunk, 0 access (CISCO-VTP-MIB vlanTrunkPortDynamicStatus "
                    + "1.3.6.1.4.1.9.9.46.1.6.1.1.14, else vlanTrunkPortEncapsulationOperType .16 and vmVlan "
                    + "1.3.6.1.4.1.9.9.68.1.2.2.1.2)");
    static final Families.Metric ETH_INBYTES = ethCounter("cisco_eth_inbytes_total",
            "Bytes received (" + BYTES_IN_SOURCE + ")");
    static final Families.Metric ETH_OUTBYTES = ethCounter("cisco_eth_outbytes_total",
            "Bytes sent (" + BYTES_OUT_SOURCE + ")");
    static final Families.Metric ETH_INPKTS = ethCounter("cisco_eth_inpkts_total",
            "Packets received: unicast + multicast + broadcast (IF-MIB ifHCInUcastPkts, ifHCInMulticastPkts, "
                    + "ifHCInBroadcastPkts 1.3.6.1.2.1.31.1.1.1.7-9)");
    static final Families.Metric ETH_OUTPKTS = ethCounter("cisco_eth_outpkts_total",
            "Packets sent: unicast + multicast + broadcast (IF-MIB ifHCOutUcastPkts, ifHCOutMulticastPkts, "
                    + "ifHCOutBroadcastPkts 1.3.6.1.2.1.31.1.1.1.11-13)");
    static final Families.Metric ETH_INDISCARD = ethCounter("cisco_eth_indiscard_total",
            "Inbound packets discarded (IF-MIB ifInDiscards 1.3.6.1.2.1.2.2.1.13)");
    static final Families.Metric ETH_OUTDISCARD = ethCounter("cisco_eth_outdiscard_total",
            "Outbound packets discarded (IF-MIB ifOutDiscards 1.3.6.1.2.1.2.2.1.19)");
    static final Families.Metric ETH_INERR = ethCounter("cisco_eth_inerr_total",
            "Inbound packets with errors (IF-MIB ifInErrors 1.3.6.1.2.1.2.2.1.14)");
    static final Families.Metric ETH_OUTERR = ethCounter("cisco_eth_outerr_total",
            "Outbound packets with errors (IF-MIB ifOutErrors 1.3.6.1.2.1.2.2.1.20)");
    static final Families.Metric ETH_INGIANTS = ethCounter("cisco_eth_ingiants_total",
            "Inbound packets larger than the MTU (CISCO-IF-EXTENSION-MIB cieIfInGiantsErrs 1.3.6.1.4.1.9.9.276.1.1.1.1.5, "
                    + "else EtherLike-MIB dot3StatsFrameTooLongs 1.3.6.1.2.1.10.7.2.1.13)");

    static final Families.Metric SVI_STATE = Families.Metric.gauge("cisco_svi_state",
            "SVI operational state: 1 up, 0 down, -1 other (IF-MIB ifOperStatus 1.3.6.1.2.1.2.2.1.8)",
            "interface", "hwaddr");
    static final Families.Metric SVI_ADMIN_STATE = Families.Metric.gauge("cisco_svi_admin_state",
            "SVI administrative state: 1 up, 0 down, -1 other (IF-MIB ifAdminStatus 1.3.6.1.2.1.2.2.1.7)",
            "interface", "hwaddr");
    static final Families.Metric SVI_BW = Families.Metric.gauge("cisco_svi_bw",
            "SVI bandwidth in Mbit/s (IF-MIB ifHighSpeed 1.3.6.1.2.1.31.1.1.1.15)", "interface", "hwaddr");
    static final Families.Metric SVI_BYTES_IN = Families.Metric.counter("cisco_svi_total_bytes_in_total",
            "Bytes received by the SVI (" + BYTES_IN_SOURCE + ")", "interface");
    static final Families.Metric SVI_BYTES_OUT = Families.Metric.counter("cisco_svi_total_bytes_out_total",
            "Bytes sent by the SVI (" + BYTES_OUT_SOURCE + ")", "interface");
    static final Families.Metric SVI_PKTS_IN = Families.Metric.counter("cisco_svi_total_pkts_in_total",
            "Packets received by the SVI: unicast + multicast + broadcast (IF-MIB 1.3.6.1.2.1.31.1.1.1.7-9)", "interface");
    static final Families.Metric SVI_PKTS_OUT = Families.Metric.counter("cisco_svi_total_pkts_out_total",
            "Packets sent by the SVI: unicast + multicast + broadcast (IF-MIB 1.3.6.1.2.1.31.1.1.1.11-13)", "interface");
    static final Families.Metric SVI_UCAST_PKTS_IN = Families.Metric.counter("cisco_svi_ucast_pkts_in_total",
            "Unicast packets received by the SVI (IF-MIB ifHCInUcastPkts 1.3.6.1.2.1.31.1.1.1.7)", "interface");
    static final Families.Metric SVI_UCAST_PKTS_OUT = Families.Metric.counter("cisco_svi_ucast_pkts_out_total",
            "Unicast packets sent by the SVI (IF-MIB ifHCOutUcastPkts 1.3.6.1.2.1.31.1.1.1.11)", "interface");

    /** What an interface is reported as. */
    enum Kind { ETHERNET, SVI, LEFT_OUT }

    private static final String[] SVI_NAMES = {"Vlan", "Vl", "BDI", "BVI"};
    private static final String[] PORT_CHANNEL_NAMES = {"Port-channel", "port-channel", "Po"};
    private static final String[] UNROUTED_VLAN_NAMES = {"unrouted VLAN ", "VLAN-"};

    private static final int UP = 1;
    private static final int DOWN = 2;
    private static final int TRUNKING = 1;
    private static final int NOT_TRUNKING = 2;
    private static final int ENCAPSULATION_NOT_APPLICABLE = 6;

    private InterfaceMetrics() {
    }

    private static Families.Metric ethGauge(String name, String help) {
        return Families.Metric.gauge(name, help, "interface", "hwaddr", "description");
    }

    private static Families.Metric ethCounter(String name, String help) {
        return Families.Metric.counter(name, help, "interface", "description");
    }

    /**
     * The rules in the class comment. {@code name} is ifName, {@code descr} ifDescr (either may be null),
     * {@code switchport} whether CISCO-VTP-MIB or CISCO-VLAN-MEMBERSHIP-MIB has a row for the interface.
     */
    static Kind kind(String name, String descr, Variable ifType, boolean switchport) {
        double type = SnmpValues.number(ifType);
        if (type == Mibs.IF_TYPE_MPLS || numbered(name, UNROUTED_VLAN_NAMES, false)
                || numbered(descr, UNROUTED_VLAN_NAMES, false)) {
            return Kind.LEFT_OUT;
        }
        if (type == Mibs.IF_TYPE_IEEE8023AD_LAG || switchport || numbered(name, PORT_CHANNEL_NAMES, true)
                || numbered(descr, PORT_CHANNEL_NAMES, true)) {
            return Kind.ETHERNET;
        }
        return numbered(name, SVI_NAMES, false) || numbered(descr, SVI_NAMES, false) ? Kind.SVI : Kind.ETHERNET;
    }

    /**
     * Whether {@code text} is one of {@code prefixes} then a number ({@code Vlan10}), or with {@code subInterface}
     * also a number, a dot and a number ({@code Po1.100}). Not a regular expression: this runs for every
     * interface of every scrape.
     */
    static boolean numbered(String text, String[] prefixes, boolean subInterface) {
        if (text == null) {
            return false;
        }
        for (String prefix : prefixes) {
            if (text.startsWith(prefix) && digits(text, prefix.length(), subInterface)) {
                return true;
            }
        }
        return false;
    }

    private static boolean digits(String text, int from, boolean subInterface) {
        int i = from;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            i++;
        }
        if (i == from) {
            return false;
        }
        if (i < text.length() && subInterface && text.charAt(i) == '.') {
            return digits(text, i + 1, false);
        }
        return i == text.length();
    }

    /** ifOperStatus / ifAdminStatus: up(1) is 1, down(2) is 0, anything else (testing, dormant, ...) -1. */
    static double state(Variable status) {
        double value = SnmpValues.number(status);
        return Double.isNaN(value) ? value : value == UP ? 1 : value == DOWN ? 0 : -1;
    }

    /**
     * Switchport mode, 1 trunk or 0 access, from what the agent has: vlanTrunkPortDynamicStatus (trunking or
     * not); else vlanTrunkPortEncapsulationOperType, a trunk encapsulation (isl, dot10, lane, dot1Q) meaning
     * trunk and notApplicable not trunking, which is access when the port is in an access VLAN (vmVlan) or
     * the agent has no vmMembershipTable to tell. A port not trunking and in no access VLAN (a trunk whose link
     * is down, a routed port) and one still negotiating are left out (NaN), as is one without a VTP row.
     */
    static double mode(Variable dynamicStatus, Variable encapsulation, Variable vmVlan, boolean agentHasVmVlans) {
        double status = SnmpValues.number(dynamicStatus);
        if (status == TRUNKING || status == NOT_TRUNKING) {
            return status == TRUNKING ? 1 : 0;
        }
        double operType = SnmpValues.number(encapsulation);
        if (operType >= 1 && operType <= 4) {
            return 1;
        }
        if (operType == ENCAPSULATION_NOT_APPLICABLE && (vmVlan != null && !vmVlan.isException() || !agentHasVmVlans)) {
            return 0;
        }
        return Double.NaN;
    }

    /** One interface to report. */
    private record Row(OID index, Kind kind, String name, String descr) {
    }

    /** Adds the interface metrics of one target: {@code interfaces} and {@code counters} are its two walks. */
    static void add(Families families, String instance, SnmpTable interfaces, SnmpTable counters) {
        Map<OID, Variable> names = interfaces.column(Mibs.IF_NAME);
        Map<OID, Variable> descrs = interfaces.column(Mibs.IF_DESCR);
        Map<OID, Variable> types = interfaces.column(Mibs.IF_TYPE);
        Map<OID, Variable> dynamicStatus = interfaces.column(Mibs.VLAN_TRUNK_PORT_DYNAMIC_STATUS);
        Map<OID, Variable> encapsulation = interfaces.column(Mibs.VLAN_TRUNK_PORT_ENCAPSULATION_OPER_TYPE);
        Map<OID, Variable> vmVlans = interfaces.column(Mibs.VM_VLAN);
        TreeSet<OID> indexes = new TreeSet<>(names.keySet());
        indexes.addAll(descrs.keySet());
        List<Row> rows = new ArrayList<>(indexes.size());
        for (OID index : indexes) {
            String name = SnmpValues.text(names.get(index));
            String descr = SnmpValues.text(descrs.get(index));
            boolean switchport = dynamicStatus.containsKey(index) || encapsulation.containsKey(index)
                    || vmVlans.containsKey(index);
            Kind kind = kind(name, descr, types.get(index), switchport);
            if (kind != Kind.LEFT_OUT) {
                rows.add(new Row(index, kind, name, descr));
            }
        }
        Map<OID, String> labels = labels(rows);
        boolean agentHasVmVlans = !vmVlans.isEmpty();
        Map<OID, Variable> physAddress = interfaces.column(Mibs.IF_PHYS_ADDRESS);
        Map<OID, Variable> operStatus = interfaces.column(Mibs.IF_OPER_STATUS);
        Map<OID, Variable> adminStatus = interfaces.column(Mibs.IF_ADMIN_STATUS);
        Map<OID, Variable> highSpeed = interfaces.column(Mibs.IF_HIGH_SPEED);
        Map<OID, Variable> aliases = interfaces.column(Mibs.IF_ALIAS);
        Map<OID, Variable> hcInOctets = counters.column(Mibs.IF_HC_IN_OCTETS);
        Map<OID, Variable> hcOutOctets = counters.column(Mibs.IF_HC_OUT_OCTETS);
        Map<OID, Variable> inOctets = counters.column(Mibs.IF_IN_OCTETS);
        Map<OID, Variable> outOctets = counters.column(Mibs.IF_OUT_OCTETS);
        Map<OID, Variable> inUcast = counters.column(Mibs.IF_HC_IN_UCAST_PKTS);
        Map<OID, Variable> inMulticast = counters.column(Mibs.IF_HC_IN_MULTICAST_PKTS);
        Map<OID, Variable> inBroadcast = counters.column(Mibs.IF_HC_IN_BROADCAST_PKTS);
        Map<OID, Variable> outUcast = counters.column(Mibs.IF_HC_OUT_UCAST_PKTS);
        Map<OID, Variable> outMulticast = counters.column(Mibs.IF_HC_OUT_MULTICAST_PKTS);
        Map<OID, Variable> outBroadcast = counters.column(Mibs.IF_HC_OUT_BROADCAST_PKTS);
        Map<OID, Variable> inDiscards = counters.column(Mibs.IF_IN_DISCARDS);
        Map<OID, Variable> outDiscards = counters.column(Mibs.IF_OUT_DISCARDS);
        Map<OID, Variable> inErrors = counters.column(Mibs.IF_IN_ERRORS);
        Map<OID, Variable> outErrors = counters.column(Mibs.IF_OUT_ERRORS);
        Map<OID, Variable> giants = counters.column(Mibs.CIE_IF_IN_GIANTS_ERRS);
        Map<OID, Variable> frameTooLongs = counters.column(Mibs.DOT3_STATS_FRAME_TOO_LONGS);
        for (Row row : rows) {
            OID index = row.index();
            String name = labels.get(index);
            String hwaddr = SnmpValues.ciscoMac(physAddress.get(index));
            double oper = state(operStatus.get(index));
            double admin = state(adminStatus.get(index));
            double bandwidth = SnmpValues.number(highSpeed.get(index));
            double bytesIn = firstOf(hcInOctets.get(index), inOctets.get(index));
            double bytesOut = firstOf(hcOutOctets.get(index), outOctets.get(index));
            Variable unicastIn = inUcast.get(index);
            Variable unicastOut = outUcast.get(index);
            double packetsIn = SnmpValues.sum(unicastIn, inMulticast.get(index), inBroadcast.get(index));
            double packetsOut = SnmpValues.sum(unicastOut, outMulticast.get(index), outBroadcast.get(index));
            if (row.kind() == Kind.SVI) {
                families.add(SVI_STATE, oper, instance, name, hwaddr);
                families.add(SVI_ADMIN_STATE, admin, instance, name, hwaddr);
                families.add(SVI_BW, bandwidth, instance, name, hwaddr);
                families.add(SVI_BYTES_IN, bytesIn, instance, name);
                families.add(SVI_BYTES_OUT, bytesOut, instance, name);
                families.add(SVI_PKTS_IN, packetsIn, instance, name);
                families.add(SVI_PKTS_OUT, packetsOut, instance, name);
                families.add(SVI_UCAST_PKTS_IN, SnmpValues.number(unicastIn), instance, name);
                families.add(SVI_UCAST_PKTS_OUT, SnmpValues.number(unicastOut), instance, name);
                continue;
            }
            String description = SnmpValues.textOrUnknown(aliases.get(index));
            families.add(ETH_STATE, oper, instance, name, hwaddr, description);
            families.add(ETH_ADMIN_STATE, admin, instance, name, hwaddr, description);
            families.add(ETH_BW, bandwidth, instance, name, hwaddr, description);
            families.add(ETH_MODE, mode(dynamicStatus.get(index), encapsulation.get(index), vmVlans.get(index),
                    agentHasVmVlans), instance, name, hwaddr, description);
            families.add(ETH_INBYTES, bytesIn, instance, name, description);
            families.add(ETH_OUTBYTES, bytesOut, instance, name, description);
            families.add(ETH_INPKTS, packetsIn, instance, name, description);
            families.add(ETH_OUTPKTS, packetsOut, instance, name, description);
            families.add(ETH_INDISCARD, SnmpValues.number(inDiscards.get(index)), instance, name, description);
            families.add(ETH_OUTDISCARD, SnmpValues.number(outDiscards.get(index)), instance, name, description);
            families.add(ETH_INERR, SnmpValues.number(inErrors.get(index)), instance, name, description);
            families.add(ETH_OUTERR, SnmpValues.number(outErrors.get(index)), instance, name, description);
            families.add(ETH_INGIANTS, firstOf(giants.get(index), frameTooLongs.get(index)), instance, name, description);
        }
    }

    /** The number in {@code first}, else in {@code second} (the 64-bit octets, else the 32-bit ones). */
    static double firstOf(Variable first, Variable second) {
        double number = SnmpValues.number(first);
        return Double.isNaN(number) ? SnmpValues.number(second) : number;
    }

    /**
     * The {@code interface} label of each row: ifName, else ifDescr, else {@code ifIndex N}; made unique within
     * each family (ethernet, SVI) by ifDescr, then by the ifIndex.
     */
    static Map<OID, String> labels(List<Row> rows) {
        Map<OID, String> labels = new HashMap<>();
        Map<String, Integer> uses = new HashMap<>();
        for (Row row : rows) {
            String label = firstOf(row.name(), row.descr(), "ifIndex " + row.index());
            labels.put(row.index(), label);
            uses.merge(row.kind() + " " + label, 1, Integer::sum);
        }
        Map<String, Integer> retried = new HashMap<>();
        Map<OID, String> second = new HashMap<>();
        for (Row row : rows) {
            if (uses.get(row.kind() + " " + labels.get(row.index())) > 1) {
                String label = firstOf(row.descr(), row.name(), "ifIndex " + row.index());
                second.put(row.index(), label);
                retried.merge(row.kind() + " " + label, 1, Integer::sum);
            }
        }
        for (Row row : rows) {
            String label = second.get(row.index());
            if (label == null) {
                continue;
            }
            boolean unique = retried.get(row.kind() + " " + label) == 1 && !uses.containsKey(row.kind() + " " + label);
            labels.put(row.index(), unique ? label : labels.get(row.index()) + " (ifIndex " + row.index() + ")");
        }
        return labels;
    }

    private static String firstOf(String first, String second, String otherwise) {
        if (first != null && !first.isBlank()) {
            return first;
        }
        return second != null && !second.isBlank() ? second : otherwise;
    }
}
