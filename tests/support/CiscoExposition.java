import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The Prometheus text format as the cisco tests read it: samples by name and labels, whichever way the
 * exposition writes a label set ({@code {a="b",}} as simpleclient does, or {@code {a="b"}}).
 */
final class CiscoExposition {
    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
        /** {@code name{k="v",...}}, labels in the order they came, without a trailing comma. */
        String series() {
            return name + labels.entrySet().stream().map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                    .collect(Collectors.joining(",", "{", "}"));
        }
    }

    final String text;
    final List<Sample> samples;
    /** TYPE by family name. */
    final Map<String, String> types = new LinkedHashMap<>();
    final Map<String, String> helps = new LinkedHashMap<>();

    private CiscoExposition(String text, List<Sample> samples) {
        this.text = text;
        this.samples = samples;
    }

    static CiscoExposition parse(String text) {
        List<Sample> samples = new ArrayList<>();
        CiscoExposition exposition = new CiscoExposition(text, samples);
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ", 2);
                exposition.types.put(parts[0], parts[1]);
                continue;
            }
            if (line.startsWith("# HELP ")) {
                String[] parts = line.substring(7).split(" ", 2);
                exposition.helps.put(parts[0], parts.length > 1 ? parts[1] : "");
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            samples.add(sample(line));
        }
        return exposition;
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        if (brace < 0 || brace > space) {
            return new Sample(line.substring(0, space), Map.of(), value(line.substring(space + 1)));
        }
        String name = line.substring(0, brace);
        Map<String, String> labels = new LinkedHashMap<>();
        int i = brace + 1;
        while (line.charAt(i) != '}') {
            if (line.charAt(i) == ',') {
                i++;
                continue;
            }
            int equals = line.indexOf('=', i);
            String label = line.substring(i, equals);
            StringBuilder value = new StringBuilder();
            i = equals + 2; // past ="
            for (; line.charAt(i) != '"'; i++) {
                char c = line.charAt(i);
                if (c == '\\') {
                    char next = line.charAt(++i);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
            }
            labels.put(label, value.toString());
            i++; // past the closing quote
        }
        return new Sample(name, labels, value(line.substring(i + 2)));
    }

    private static double value(String text) {
        String value = text.strip().split(" ")[0]; // a timestamp may follow
        return switch (value) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(value);
        };
    }

    /**
     * The TYPE of the family of samples {@code name}: exposition writers differ on whether a counter's TYPE
     * line names it with or without {@code _total} (simpleclient writes either, by version).
     */
    String type(String name) {
        String type = types.get(name);
        if (type == null && name.endsWith("_total")) {
            type = types.get(name.substring(0, name.length() - "_total".length()));
        }
        return type == null ? types.get(name + "_total") : type;
    }

    /** The samples called {@code name}. */
    List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The value of {@code name} with exactly these labels ({@code k1, v1, k2, v2, ...}), or null. */
    Double get(String name, String... labels) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(wanted)).findFirst()
                .map(Sample::value).orElse(null);
    }

    /** Like {@link #get} but fails, showing the exposition, when there is no such sample. */
    double value(String name, String... labels) {
        Double value = get(name, labels);
        if (value == null) {
            throw new AssertionError("no sample " + name + " " + List.of(labels) + " in\n" + text);
        }
        return value;
    }

    /** Whether some sample of {@code name} has these labels among its own. */
    boolean has(String name, String... labels) {
        return samples.stream().anyMatch(s -> s.name().equals(name) && contains(s.labels(), labels));
    }

    private static boolean contains(Map<String, String> labels, String... wanted) {
        for (int i = 0; i < wanted.length; i += 2) {
            if (!Objects.equals(labels.get(wanted[i]), wanted[i + 1])) {
                return false;
            }
        }
        return true;
    }

    /** Series (name and label set) that appear more than once: Prometheus drops such a scrape's duplicates. */
    List<String> duplicates() {
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (Sample sample : samples) {
            seen.merge(sample.name() + new java.util.TreeMap<>(sample.labels()), 1, Integer::sum);
        }
        return seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    }
}
