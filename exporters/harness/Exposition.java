import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.CollectorRegistry;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A registry as Prometheus text format 0.0.4, written the way the original's Python client wrote it: label
 * sets as {@code {a="b"}} (simpleclient's own writer leaves a comma before the brace), no {@code _created}
 * series, and metric families sorted by name as Prometheus's Go client gathers them.
 */
final class Exposition {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private Exposition() {
    }

    static String text(CollectorRegistry registry) {
        List<MetricFamilySamples> families = Collections.list(registry.metricFamilySamples());
        families.sort(Comparator.comparing(family -> family.name));
        StringBuilder text = new StringBuilder(4096);
        for (MetricFamilySamples family : families) {
            String name = family.name;
            String type;
            switch (family.type) {
                case COUNTER -> {
                    name = name + "_total";
                    type = "counter";
                }
                case GAUGE, STATE_SET -> type = "gauge";
                case INFO -> {
                    name = name + "_info";
                    type = "gauge";
                }
                case SUMMARY -> type = "summary";
                case HISTOGRAM, GAUGE_HISTOGRAM -> type = "histogram";
                default -> type = "untyped";
            }
            text.append("# HELP ").append(name).append(' ');
            escape(text, family.help, false);
            text.append("\n# TYPE ").append(name).append(' ').append(type).append('\n');
            for (MetricFamilySamples.Sample sample : family.samples) {
                if (!sample.name.equals(family.name + "_created")) {
                    sample(text, sample);
                }
            }
        }
        return text.toString();
    }

    private static void sample(StringBuilder text, MetricFamilySamples.Sample sample) {
        text.append(sample.name);
        if (!sample.labelNames.isEmpty()) {
            text.append('{');
            for (int i = 0; i < sample.labelNames.size(); i++) {
                if (i > 0) {
                    text.append(',');
                }
                text.append(sample.labelNames.get(i)).append("=\"");
                escape(text, sample.labelValues.get(i), true);
                text.append('"');
            }
            text.append('}');
        }
        text.append(' ').append(value(sample.value));
        if (sample.timestampMs != null) {
            text.append(' ').append(sample.timestampMs);
        }
        text.append('\n');
    }

    /** As Go formats floats for Prometheus: +Inf, -Inf, NaN, else Java's shortest form (1.0, 2.5E9). */
    static String value(double value) {
        if (value == Double.POSITIVE_INFINITY) {
            return "+Inf";
        }
        if (value == Double.NEGATIVE_INFINITY) {
            return "-Inf";
        }
        return Double.isNaN(value) ? "NaN" : Double.toString(value);
    }

    /** Backslash and newline, and in label values the double quote, escaped as the format requires. */
    private static void escape(StringBuilder text, String value, boolean quote) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '"' -> text.append(quote ? "\\\"" : "\"");
                default -> text.append(c);
            }
        }
    }

    /**
     * Writes {@code text} to {@code file} through a temporary file in the same directory and a rename, so no
     * reader sees half of it. The file gets the permissions of the umask, as a textfile collector expects.
     * An existing directory of that name is an error, never replaced.
     */
    static void writeAtomically(Path file, String text) throws IOException {
        Path absolute = file.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new IOException(absolute + " is a directory");
        }
        File directory = absolute.getParent().toFile();
        if (!directory.isDirectory()) {
            throw new IOException("no such directory: " + absolute.getParent());
        }
        File temp = null;
        for (int attempt = 0; temp == null; attempt++) {
            File candidate = new File(directory, "." + absolute.getFileName() + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            if (candidate.createNewFile()) { // O_EXCL: never someone else's file
                temp = candidate;
            } else if (attempt > 10) {
                throw new IOException("cannot create a temporary file in " + directory);
            }
        }
        try {
            try (FileOutputStream out = new FileOutputStream(temp)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            Files.move(temp.toPath(), absolute, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + absolute + " atomically: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(temp.toPath());
        }
    }
}
