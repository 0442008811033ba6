import io.prometheus.client.Collector;
import java.util.List;
import java.util.Map;

/** Every target's readings to metric families: per-target status first, then what each group read. */
final class CiscoMetrics {
    static final Families.Metric UP = Families.Metric.gauge("cisco_up",
            "1 when the target answered SNMP requests, 0 when it did not");
    static final Families.Metric COMMAND_RUNTIME = Families.Metric.gauge("cisco_command_runtime",
            "Seconds spent on each group of SNMP requests (interfaces, counters, bgp, system), answered or not",
            "command");

    private CiscoMetrics() {
    }

    static List<Collector.MetricFamilySamples> families(List<TargetReading> readings) {
        Families families = new Families();
        for (TargetReading reading : readings) {
            families.add(UP, reading.up() ? 1 : 0, reading.instance());
            for (Map.Entry<PollGroup, Double> runtime : reading.seconds().entrySet()) {
                families.add(COMMAND_RUNTIME, runtime.getValue(), reading.instance(), runtime.getKey().command);
            }
        }
        for (TargetReading reading : readings) {
            String instance = reading.instance();
            InterfaceMetrics.add(families, instance, reading.table(PollGroup.INTERFACES), reading.table(PollGroup.COUNTERS));
            BgpMetrics.add(families, instance, reading.table(PollGroup.BGP));
            SystemMetrics.add(families, instance, reading.table(PollGroup.SYSTEM));
        }
        return families.list();
    }

    /** A collector that hands out families read once (the registry asks on every exposition). */
    static Collector collector(List<Collector.MetricFamilySamples> families) {
        return new Collector() {
            @Override
            public List<MetricFamilySamples> collect() {
                return families;
            }
        };
    }
}
