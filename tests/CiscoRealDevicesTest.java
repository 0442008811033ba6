import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Cisco exporter through {@code ./jbang metrics} against recordings of four real devices (NX-OS, IOS,
 * IOS-XE), served by snmpsim, its output checked value by value against what each device recorded: every
 * series it should give is there with the device's value, and there is no other.
 */
class CiscoRealDevicesTest {
    /** Per recording: the ifIndexes that are SVIs, and those not reported (MPLS layers), as read from the data. */
    record Device(String file, Set<String> svis, Set<String> leftOut) {
    }

    static final List<Device> DEVICES = List.of(
            new Device("ios_2960x.snmprec", Set.of("1", "99"), Set.of()), // Vlan1, Vlan99; not Po1 nor the stack ports
            new Device("iosxe_asr920.snmprec", Set.of(), Set.of("37", "64", "65")), // the -mpls layers
            new Device("nxos_n3k-3064pq.snmprec", Set.of(), Set.of()), // port-channel10 is ifType 53: ethernet
            new Device("nxos_n9k-c93180yc-fx3.snmprec", Set.of("151060481"), Set.of())); // Vlan1

    static Snmpsim agent;
    static final Map<String, Commands.Result> RUNS = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        Path dir = Snmpsim.realDevices();
        assertTrue(Files.isDirectory(dir), "the real devices' recordings are not in " + dir);
        Path[] files = DEVICES.stream().map(d -> dir.resolve(d.file())).toArray(Path[]::new);
        agent = Snmpsim.start(files[0], java.util.Arrays.copyOfRange(files, 1, files.length));
        for (Device device : DEVICES) {
            RUNS.put(device.file(), CiscoSnmpsimTest.cisco(Map.of(), "--target", agent.address(), "--community",
                    Snmpsim.community(Path.of(device.file()))));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
    }

    static SnmpRecording recording(Device device) {
        return SnmpRecording.read(Snmpsim.realDevices().resolve(device.file()));
    }

    static CiscoExposition output(Device device) {
        Commands.Result run = RUNS.get(device.file());
        assertEquals(0, run.exit(), device.file() + ": " + run.describe());
        return CiscoExposition.parse(run.out());
    }

    @Test
    void every_device_is_read_whole_without_a_warning() {
        for (Device device : DEVICES) {
            CiscoExposition out = output(device);
            assertEquals(1, out.value("cisco_up", "instance", agent.address()), device.file());
            for (String command : List.of("interfaces", "counters", "bgp", "system")) {
                assertEquals(1, out.value("cisco_command_success", "instance", agent.address(), "command", command),
                        device.file() + " " + command);
            }
            assertEquals(List.of(), RUNS.get(device.file()).errBesidesBuilds(),
                    device.file());
        }
    }

    @Test
    void every_series_is_unique_and_promtool_accepts_it() {
        for (Device device : DEVICES) {
            CiscoExposition out = output(device);
            assertEquals(List.of(), out.duplicates(), device.file());
            Promtool.assertParses(out.text);
        }
    }

    @Test
    void interface_metrics_are_the_devices_values_every_one_and_no_other() {
        for (Device device : DEVICES) {
            Map<String, Double> expected = expectedInterfaceSamples(device, recording(device));
            Map<String, Double> actual = new TreeMap<>();
            for (CiscoExposition.Sample sample : output(device).samples) {
                if (sample.name().startsWith("cisco_eth_") || sample.name().startsWith("cisco_svi_")) {
                    actual.put(sample.series(), sample.value());
                }
            }
            assertTrue(expected.size() > 300, device.file() + ": " + expected.size() + " samples expected");
            assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(actual.keySet()), device.file());
            expected.forEach((series, value) -> assertEquals(value, actual.get(series), device.file() + " " + series));
        }
    }

    @Test
    void port_channels_and_stack_ports_are_ethernet_and_mpls_layers_are_not_reported() {
        CiscoExposition ios = output(DEVICES.get(0));
        String at = agent.address();
        assertEquals(1, ios.value("cisco_eth_mode", "instance", at, "interface", "Po1", "hwaddr", "ac7e.8a19.7d34",
                "description", "*** to acme-fr-s-001 ***"));
        assertTrue(ios.has("cisco_eth_state", "interface", "StackPort1"), ios.text);
        assertTrue(ios.has("cisco_eth_state", "interface", "StackSub-St1-1"), ios.text);
        assertEquals(2, ios.named("cisco_svi_state").size(), ios.text);
        CiscoExposition n3k = output(DEVICES.get(2));
        assertEquals(40000, n3k.value("cisco_eth_bw", "instance", at, "interface", "port-channel10", "hwaddr",
                "f872.eae0.0998", "description", "Uplink"));
        assertEquals(List.of(), n3k.named("cisco_svi_state"));
        CiscoExposition asr920 = output(DEVICES.get(1));
        assertEquals(1, asr920.named("cisco_eth_state").stream()
                .filter(s -> s.labels().get("interface").equals("Te0/0/25")).count(), asr920.text);
        assertEquals(34, asr920.named("cisco_eth_state").size(), asr920.text); // 37 interfaces, 3 of them MPLS layers
    }

    @Test
    void cpus_memory_and_switchport_modes_of_the_devices() {
        String at = agent.address();
        CiscoExposition ios = output(DEVICES.get(0));
        SnmpRecording r = recording(DEVICES.get(0));
        // IOS 15.0 on a 2960-X: cpmCPUTotalPhysicalIndex 0, and memory only in CISCO-MEMORY-POOL-MIB (processor pool)
        assertEquals(67, ios.value("cisco_cpu_busy_percent", "instance", at, "cpu", "cpmCPUTotalIndex 1", "interval", "5s"));
        assertEquals(r.number("1.3.6.1.4.1.9.9.48.1.1.1.5", "1") / 1024, ios.value("cisco_memory_usage_used", "instance", at));
        assertEquals(r.number("1.3.6.1.4.1.9.9.48.1.1.1.6", "1") / 1024, ios.value("cisco_memory_usage_free", "instance", at));
        assertEquals(115, ios.named("cisco_eth_mode").stream().filter(s -> s.value() == 0).count(), "access ports (vmVlan)");
        CiscoExposition n3k = output(DEVICES.get(2));
        assertEquals(14, n3k.value("cisco_cpu_busy_percent", "instance", at, "cpu", "Module-1 48x10GE + 4x40G Supervisor",
                "interval", "1m"));
        assertEquals(2528860, n3k.value("cisco_memory_usage_used", "instance", at));
        assertEquals(2528860 + 1374112, n3k.value("cisco_memory_usage_total", "instance", at));
        assertEquals(0, n3k.value("cisco_eth_mode", "instance", at, "interface", "Ethernet1/44", "hwaddr", "f872.eae0.0993",
                "description", "unknown"));
        assertEquals(List.of(), output(DEVICES.get(3)).named("cisco_cpu_busy_percent"), "no CISCO-PROCESS-MIB recorded");
    }

    // ---- what the recording says the exporter should give, rule by rule ----


    static Map<String, Double> expectedInterfaceSamples(Device device, SnmpRecording r) {
        String at = agent.address();
        Map<String, Double> samples = new TreeMap<>();
        Map<String, SnmpRecording.Value> names = r.column("1.3.6.1.2.1.31.1.1.1.1");
        Map<String, SnmpRecording.Value> descrs = r.column("1.3.6.1.2.1.2.2.1.2");
        boolean agentHasVmVlans = !r.column("1.3.6.1.4.1.9.9.68.1.2.2.1.2").isEmpty();
        Set<String> indexes = new TreeSet<>(names.keySet());
        indexes.addAll(descrs.keySet());
        for (String i : indexes) {
            if (device.leftOut().contains(i)) {
                continue;
            }
            String name = names.containsKey(i) ? names.get(i).string() : descrs.get(i).string();
            String hwaddr = hwaddr(r.get("1.3.6.1.2.1.2.2.1.6." + i));
            SnmpRecording.Value alias = r.get("1.3.6.1.2.1.31.1.1.1.18." + i);
            String description = alias == null || alias.string().isBlank() ? "unknown" : alias.string();
            boolean svi = device.svis().contains(i);
            String[] gauge = svi ? new String[] {"instance", at, "interface", name, "hwaddr", hwaddr}
                    : new String[] {"instance", at, "interface", name, "hwaddr", hwaddr, "description", description};
            String[] counter = svi ? new String[] {"instance", at, "interface", name}
                    : new String[] {"instance", at, "interface", name, "description", description};
            String kind = svi ? "cisco_svi_" : "cisco_eth_";
            put(samples, kind + "state", gauge, state(r.number("1.3.6.1.2.1.2.2.1.8", i)));
            put(samples, kind + "admin_state", gauge, state(r.number("1.3.6.1.2.1.2.2.1.7", i)));
            put(samples, kind + "bw", gauge, r.number("1.3.6.1.2.1.31.1.1.1.15", i));
            double inBytes = firstOf(r.number("1.3.6.1.2.1.31.1.1.1.6", i), r.number("1.3.6.1.2.1.2.2.1.10", i));
            double outBytes = firstOf(r.number("1.3.6.1.2.1.31.1.1.1.10", i), r.number("1.3.6.1.2.1.2.2.1.16", i));
            double inPkts = sum(r, i, "7", "8", "9");
            double outPkts = sum(r, i, "11", "12", "13");
            if (svi) {
                put(samples, "cisco_svi_total_bytes_in_total", counter, inBytes);
                put(samples, "cisco_svi_total_bytes_out_total", counter, outBytes);
                put(samples, "cisco_svi_total_pkts_in_total", counter, inPkts);
                put(samples, "cisco_svi_total_pkts_out_total", counter, outPkts);
                put(samples, "cisco_svi_ucast_pkts_in_total", counter, r.number("1.3.6.1.2.1.31.1.1.1.7", i));
                put(samples, "cisco_svi_ucast_pkts_out_total", counter, r.number("1.3.6.1.2.1.31.1.1.1.11", i));
                continue;
            }
            put(samples, "cisco_eth_mode", gauge, mode(r, i, agentHasVmVlans));
            put(samples, "cisco_eth_inbytes_total", counter, inBytes);
            put(samples, "cisco_eth_outbytes_total", counter, outBytes);
            put(samples, "cisco_eth_inpkts_total", counter, inPkts);
            put(samples, "cisco_eth_outpkts_total", counter, outPkts);
            put(samples, "cisco_eth_indiscard_total", counter, r.number("1.3.6.1.2.1.2.2.1.13", i));
            put(samples, "cisco_eth_inerr_total", counter, r.number("1.3.6.1.2.1.2.2.1.14", i));
            put(samples, "cisco_eth_outdiscard_total", counter, r.number("1.3.6.1.2.1.2.2.1.19", i));
            put(samples, "cisco_eth_outerr_total", counter, r.number("1.3.6.1.2.1.2.2.1.20", i));
            put(samples, "cisco_eth_ingiants_total", counter, firstOf(r.number("1.3.6.1.4.1.9.9.276.1.1.1.1.5", i),
                    r.number("1.3.6.1.2.1.10.7.2.1.13", i)));
        }
        return samples;
    }

    static void put(Map<String, Double> samples, String name, String[] labels, double value) {
        if (!Double.isNaN(value)) {
            Map<String, String> map = new LinkedHashMap<>();
            for (int k = 0; k < labels.length; k += 2) {
                map.put(labels[k], labels[k + 1]);
            }
            samples.put(new CiscoExposition.Sample(name, map, value).series(), value);
        }
    }

    static double state(double status) {
        return Double.isNaN(status) ? status : status == 1 ? 1 : status == 2 ? 0 : -1;
    }

    static double firstOf(double first, double second) {
        return Double.isNaN(first) ? second : first;
    }

    static double sum(SnmpRecording r, String index, String... hcColumns) {
        double total = Double.NaN;
        for (String column : hcColumns) {
            double value = r.number("1.3.6.1.2.1.31.1.1.1." + column, index);
            if (!Double.isNaN(value)) {
                total = Double.isNaN(total) ? value : total + value;
            }
        }
        return total;
    }

    /** Trunk encapsulation (isl, dot10, lane, dot1Q) 1; notApplicable 0 with an access VLAN or nothing to tell. */
    static double mode(SnmpRecording r, String index, boolean agentHasVmVlans) {
        double status = r.number("1.3.6.1.4.1.9.9.46.1.6.1.1.14", index);
        if (!Double.isNaN(status)) {
            return status == 1 ? 1 : 0;
        }
        double encapsulation = r.number("1.3.6.1.4.1.9.9.46.1.6.1.1.16", index);
        if (encapsulation >= 1 && encapsulation <= 4) {
            return 1;
        }
        boolean access = r.get("1.3.6.1.4.1.9.9.68.1.2.2.1.2." + index) != null;
        return encapsulation == 6 && (access || !agentHasVmVlans) ? 0 : Double.NaN;
    }

    static String hwaddr(SnmpRecording.Value value) {
        if (value == null || value.bytes().length == 0) {
            return "unknown";
        }
        String hex = HexFormat.of().formatHex(value.bytes());
        StringBuilder dotted = new StringBuilder();
        for (int k = 0; k < hex.length(); k += 4) {
            dotted.append(k > 0 ? "." : "").append(hex, k, Math.min(k + 4, hex.length()));
        }
        return dotted.toString();
    }

    /** The recordings are the ones the README lists, nothing silently missing. */
    @Test
    void the_shared_recordings_are_there() throws Exception {
        try (Stream<Path> files = Files.list(Snmpsim.realDevices())) {
            Set<String> present = new TreeSet<>(files.map(p -> p.getFileName().toString()).toList());
            for (Device device : DEVICES) {
                assertTrue(present.contains(device.file()), device.file() + " in " + present);
            }
        }
    }
}
