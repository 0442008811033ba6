import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The metric families of one run, filled target by target. Values read from a device go in as they are:
 * a counter is the device's counter ({@code CounterMetricFamily}), never an {@code inc()} of ours.
 */
final class Families {

    /** A metric the exporter may emit; every one carries {@code instance} first. */
    record Metric(String name, Collector.Type type, String help, List<String> labelNames) {
        static Metric gauge(String name, String help, String... labels) {
            return new Metric(name, Collector.Type.GAUGE, help, withInstance(labels));
        }

        /** {@code name} ends in {@code _total}, as it is exposed. */
        static Metric counter(String name, String help, String... labels) {
            return new Metric(name, Collector.Type.COUNTER, help, withInstance(labels));
        }

        private static List<String> withInstance(String... labels) {
            List<String> names = new ArrayList<>(List.of("instance"));
            names.addAll(List.of(labels));
            return List.copyOf(names);
        }
    }

    /** A family, and the label values of its samples so far. */
    private record Family(MetricFamilySamples samples, Set<List<String>> series) {
    }

    private final Map<String, Family> families = new LinkedHashMap<>();
    private final List<String> duplicates = new ArrayList<>();

    /**
     * Adds one sample; {@code labelValues} start with the instance. NaN (no value) adds nothing, nor does a
     * series already added (Prometheus would drop both; the mappings make their labels unique, this is the net).
     */
    void add(Metric metric, double value, String... labelValues) {
        if (Double.isNaN(value)) {
            return;
        }
        List<String> values = List.of(labelValues);
        Family entry = families.computeIfAbsent(metric.name(), name -> new Family(metric.type() == Collector.Type.COUNTER
                ? new CounterMetricFamily(name, metric.help(), metric.labelNames())
                : new GaugeMetricFamily(name, metric.help(), metric.labelNames()), new HashSet<>()));
        if (!entry.series().add(values)) {
            duplicates.add(metric.name() + values);
            return;
        }
        MetricFamilySamples family = entry.samples();
        if (family instanceof CounterMetricFamily counter) {
            counter.addMetric(values, value);
        } else {
            ((GaugeMetricFamily) family).addMetric(values, value);
        }
    }

    /** The series added more than once, as {@code name[label values]}: each was reported once. */
    List<String> duplicates() {
        return List.copyOf(duplicates);
    }

    /** The families that got samples, in the order they were first added. */
    List<MetricFamilySamples> list() {
        List<MetricFamilySamples> list = new ArrayList<>(families.size());
        for (Family family : families.values()) {
            list.add(family.samples());
        }
        return List.copyOf(list);
    }
}
