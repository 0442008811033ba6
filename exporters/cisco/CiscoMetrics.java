import io.prometheus.client.Collector;
import java.util.List;
import java.util.Map;

/** Every target's readings to metric families: per-target status first, then what each group read. */
final class CiscoMetrics {
    static final Families.Metric UP = Families.Metric.gauge("cisco_up",
            "1 when the target answered SNMP requests and something could be read, 0 when not");
    static final Families.Metric COMMAND_RUNTIME = Families.Metric.gauge("cisco_command_runtime",
            "Seconds spent on each group of SNMP requests (interfaces, counters, bgp, system), read or not",
            "command");
    static final Families.Metric COMMAND_SUCCESS = Families.Metric.gauge("cisco_command_success",
            "1 when every request of the group was answered well-formed and without error, else 0 (what failed "
                    + "is on stderr)",
            "command");

    /** Times a step of the mapping as the original did ({@code execution_seconds{function}}); tests pass none. */
    @FunctionalInterface
    interface Timing {
        void time(String function, Runnable step);

        Timing NONE = (function, step) -> step.run();
    }

    private CiscoMetrics() {
    }

    static List<Collector.MetricFamilySamples> families(List<TargetReading> readings) {
        return families(readings, Timing.NONE);
    }

    static List<Collector.MetricFamilySamples> families(List<TargetReading> readings, Timing timing) {
        return build(readings, timing).list();
    }

    static Families build(List<TargetReading> readings, Timing timing) {
        Families families = new Families();
        for (TargetReading reading : readings) {
            families.add(UP, reading.up() ? 1 : 0, reading.instance());
            for (Map.Entry<PollGroup, Double> runtime : reading.seconds().entrySet()) {
                families.add(COMMAND_RUNTIME, runtime.getValue(), reading.instance(), runtime.getKey().command);
                families.add(COMMAND_SUCCESS, reading.succeeded(runtime.getKey()) ? 1 : 0, reading.instance(),
                        runtime.getKey().command);
            }
        }
        for (TargetReading reading : readings) {
            String instance = reading.instance();
            // the original's function names (it timed the same steps of its own)
            timing.time("collect_switch_interfaces", () -> InterfaceMetrics.add(families, instance,
                    reading.table(PollGroup.INTERFACES), reading.table(PollGroup.COUNTERS)));
            timing.time("collect_switch_bgp_summary", () -> BgpMetrics.add(families, instance, reading.table(PollGroup.BGP)));
            timing.time("collect_switch_system_resources", () -> SystemMetrics.add(families, instance,
                    reading.table(PollGroup.SYSTEM)));
        }
        return families;
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
