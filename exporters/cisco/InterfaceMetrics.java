import java.util.TreeSet;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;

/** IF-MIB (and CISCO-VTP-MIB) to the original's {@code cisco_eth_*} and {@code cisco_svi_*} metrics. */
final class InterfaceMetrics {
    static final Families.Metric ETH_STATE = ethGauge("cisco_eth_state",
            "Ethernet interface operational state: 1 up, 0 down, -1 other (IF-MIB ifOperStatus 1.3.6.1.2.1.2.2.1.8)");
    static final Families.Metric ETH_ADMIN_STATE = ethGauge("cisco_eth_admin_state",
            "Ethernet interface administrative state: 1 up, 0 down, -1 other (IF-MIB ifAdminStatus 1.3.6.1.2.1.2.2.1.7)");
    static final Families.Metric ETH_BW = ethGauge("cisco_eth_bw",
            "Ethernet interface bandwidth in Mbit/s (IF-MIB ifHighSpeed 1.3.6.1.2.1.31.1.1.1.15)");
    static final Families.Metric ETH_MODE = ethGauge("cisco_eth_mode",
            "Ethernet switchport mode: 1 trunk, 0 access (CISCO-VTP-MIB vlanTrunkPortDynamicStatus 1.3.6.1.4.1.9.9.46.1.6.1.1.14)");
    static final Families.Metric ETH_INBYTES = ethCounter("cisco_eth_inbytes_total",
            "Bytes received (IF-MIB ifHCInOctets 1.3.6.1.2.1.31.1.1.1.6)");
    static final Families.Metric ETH_OUTBYTES = ethCounter("cisco_eth_outbytes_total",
            "Bytes sent (IF-MIB ifHCOutOctets 1.3.6.1.2.1.31.1.1.1.10)");
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

    static final Families.Metric SVI_STATE = Families.Metric.gauge("cisco_svi_state",
            "SVI operational state: 1 up, 0 down, -1 other (IF-MIB ifOperStatus 1.3.6.1.2.1.2.2.1.8)",
            "interface", "hwaddr");
    static final Families.Metric SVI_ADMIN_STATE = Families.Metric.gauge("cisco_svi_admin_state",
            "SVI administrative state: 1 up, 0 down, -1 other (IF-MIB ifAdminStatus 1.3.6.1.2.1.2.2.1.7)",
            "interface", "hwaddr");
    static final Families.Metric SVI_BW = Families.Metric.gauge("cisco_svi_bw",
            "SVI bandwidth in Mbit/s (IF-MIB ifHighSpeed 1.3.6.1.2.1.31.1.1.1.15)", "interface", "hwaddr");
    static final Families.Metric SVI_BYTES_IN = Families.Metric.counter("cisco_svi_total_bytes_in_total",
            "Bytes received by the SVI (IF-MIB ifHCInOctets 1.3.6.1.2.1.31.1.1.1.6)", "interface");
    static final Families.Metric SVI_BYTES_OUT = Families.Metric.counter("cisco_svi_total_bytes_out_total",
            "Bytes sent by the SVI (IF-MIB ifHCOutOctets 1.3.6.1.2.1.31.1.1.1.10)", "interface");
    static final Families.Metric SVI_PKTS_IN = Families.Metric.counter("cisco_svi_total_pkts_in_total",
            "Packets received by the SVI: unicast + multicast + broadcast (IF-MIB 1.3.6.1.2.1.31.1.1.1.7-9)", "interface");
    static final Families.Metric SVI_PKTS_OUT = Families.Metric.counter("cisco_svi_total_pkts_out_total",
            "Packets sent by the SVI: unicast + multicast + broadcast (IF-MIB 1.3.6.1.2.1.31.1.1.1.11-13)", "interface");

    private static final int TRUNKING = 1;

    private InterfaceMetrics() {
    }

    private static Families.Metric ethGauge(String name, String help) {
        return Families.Metric.gauge(name, help, "interface", "hwaddr", "description");
    }

    private static Families.Metric ethCounter(String name, String help) {
        return Families.Metric.counter(name, help, "interface", "description");
    }

    /** An SVI is named {@code Vlan...} or has ifType propVirtual (53); every other interface counts as ethernet. */
    static boolean isSvi(String name, Variable ifType) {
        return name.startsWith("Vlan") || SnmpValues.number(ifType) == Mibs.IF_TYPE_PROP_VIRTUAL;
    }

    /** ifOperStatus / ifAdminStatus: up(1) is 1, down(2) is 0, anything else (testing, dormant, ...) -1. */
    static double state(Variable status) {
        double value = SnmpValues.number(status);
        return Double.isNaN(value) ? value : value == 1 ? 1 : value == 2 ? 0 : -1;
    }

    /** Adds the interface metrics of one target: {@code interfaces} and {@code counters} are its two walks. */
    static void add(Families families, String instance, SnmpTable interfaces, SnmpTable counters) {
        TreeSet<OID> indexes = new TreeSet<>(interfaces.column(Mibs.IF_NAME).keySet());
        indexes.addAll(interfaces.column(Mibs.IF_DESCR).keySet());
        for (OID index : indexes) {
            String name = name(interfaces, index);
            String hwaddr = SnmpValues.ciscoMac(interfaces.column(Mibs.IF_PHYS_ADDRESS).get(index));
            double oper = state(interfaces.column(Mibs.IF_OPER_STATUS).get(index));
            double admin = state(interfaces.column(Mibs.IF_ADMIN_STATUS).get(index));
            double bandwidth = SnmpValues.number(interfaces.column(Mibs.IF_HIGH_SPEED).get(index));
            double bytesIn = SnmpValues.number(counters.column(Mibs.IF_HC_IN_OCTETS).get(index));
            double bytesOut = SnmpValues.number(counters.column(Mibs.IF_HC_OUT_OCTETS).get(index));
            double packetsIn = SnmpValues.sum(counters.column(Mibs.IF_HC_IN_UCAST_PKTS).get(index),
                    counters.column(Mibs.IF_HC_IN_MULTICAST_PKTS).get(index),
                    counters.column(Mibs.IF_HC_IN_BROADCAST_PKTS).get(index));
            double packetsOut = SnmpValues.sum(counters.column(Mibs.IF_HC_OUT_UCAST_PKTS).get(index),
                    counters.column(Mibs.IF_HC_OUT_MULTICAST_PKTS).get(index),
                    counters.column(Mibs.IF_HC_OUT_BROADCAST_PKTS).get(index));
            if (isSvi(name, interfaces.column(Mibs.IF_TYPE).get(index))) {
                families.add(SVI_STATE, oper, instance, name, hwaddr);
                families.add(SVI_ADMIN_STATE, admin, instance, name, hwaddr);
                families.add(SVI_BW, bandwidth, instance, name, hwaddr);
                families.add(SVI_BYTES_IN, bytesIn, instance, name);
                families.add(SVI_BYTES_OUT, bytesOut, instance, name);
                families.add(SVI_PKTS_IN, packetsIn, instance, name);
                families.add(SVI_PKTS_OUT, packetsOut, instance, name);
                continue;
            }
            String description = SnmpValues.textOrUnknown(interfaces.column(Mibs.IF_ALIAS).get(index));
            families.add(ETH_STATE, oper, instance, name, hwaddr, description);
            families.add(ETH_ADMIN_STATE, admin, instance, name, hwaddr, description);
            families.add(ETH_BW, bandwidth, instance, name, hwaddr, description);
            Variable trunk = interfaces.column(Mibs.VLAN_TRUNK_PORT_DYNAMIC_STATUS).get(index);
            if (!Double.isNaN(SnmpValues.number(trunk))) { // no row: not a switchport, or no CISCO-VTP-MIB
                families.add(ETH_MODE, SnmpValues.number(trunk) == TRUNKING ? 1 : 0, instance, name, hwaddr, description);
            }
            families.add(ETH_INBYTES, bytesIn, instance, name, description);
            families.add(ETH_OUTBYTES, bytesOut, instance, name, description);
            families.add(ETH_INPKTS, packetsIn, instance, name, description);
            families.add(ETH_OUTPKTS, packetsOut, instance, name, description);
            families.add(ETH_INDISCARD, SnmpValues.number(counters.column(Mibs.IF_IN_DISCARDS).get(index)), instance, name, description);
            families.add(ETH_OUTDISCARD, SnmpValues.number(counters.column(Mibs.IF_OUT_DISCARDS).get(index)), instance, name, description);
            families.add(ETH_INERR, SnmpValues.number(counters.column(Mibs.IF_IN_ERRORS).get(index)), instance, name, description);
            families.add(ETH_OUTERR, SnmpValues.number(counters.column(Mibs.IF_OUT_ERRORS).get(index)), instance, name, description);
        }
    }

    /** ifName; else ifDescr (agents without ifXTable); else the ifIndex. */
    static String name(SnmpTable interfaces, OID index) {
        String name = SnmpValues.text(interfaces.column(Mibs.IF_NAME).get(index));
        if (name == null || name.isBlank()) {
            name = SnmpValues.text(interfaces.column(Mibs.IF_DESCR).get(index));
        }
        return name == null || name.isBlank() ? "ifIndex " + index : name;
    }
}
