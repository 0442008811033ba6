import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.CollectorRegistry;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
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
 * sets as {@code {a="b"}} (simpleclient's own writer leaves a comma before the brace), values as it wrote
 * them ({@link #value}), no {@code _created} series, and metric families sorted by name as Prometheus's Go
 * client gathers them.
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

    /**
     * As the original's Python client wrote a value: +Inf, -Inf, NaN, else Python's repr (the shortest decimal
     * that reads back the same: 0.25, 1e-05, 1e+16), but a positive value of 7 to 16 integer digits with the
     * client's Go-like exponent, "e+0" then the exponent as it wrote it: 1234567.0 is 1.234567e+06 and
     * 2.000304E10 is 2.000304e+010.
     */
    static String value(double value) {
        if (value == Double.POSITIVE_INFINITY) {
            return "+Inf";
        }
        if (value == Double.NEGATIVE_INFINITY) {
            return "-Inf";
        }
        if (Double.isNaN(value) || value == 0) {
            return Double.toString(value); // NaN, 0.0, -0.0
        }
        double magnitude = Math.abs(value);
        String digits;
        int exponent; // of the first digit
        if (magnitude < 0x1p53 && magnitude == Math.rint(magnitude)) { // counters and most gauges: exact
            String integer = Long.toString((long) magnitude);
            exponent = integer.length() - 1;
            int end = integer.length();
            while (integer.charAt(end - 1) == '0') {
                end--;
            }
            digits = integer.substring(0, end);
        } else {
            BigDecimal shortest = shortest(value);
            digits = shortest.unscaledValue().abs().toString();
            exponent = digits.length() - 1 - shortest.scale();
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String sign = value < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            int size = Math.abs(exponent);
            return sign + mantissa + (exponent < 0 ? "e-" : "e+") + (size < 10 ? "0" : "") + size;
        }
        if (value > 0 && exponent >= 6) {
            return mantissa + "e+0" + exponent;
        }
        if (exponent < 0) {
            return sign + "0." + "0".repeat(-exponent - 1) + digits;
        }
        String whole = digits.length() > exponent + 1 ? digits.substring(0, exponent + 1)
                : digits + "0".repeat(exponent + 1 - digits.length());
        return sign + whole + "." + (digits.length() > exponent + 1 ? digits.substring(exponent + 1) : "0");
    }

    /** The shortest decimal that reads back as {@code value}: Java 17's Double.toString may give a digit more. */
    private static BigDecimal shortest(double value) {
        BigDecimal shortest = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        while (shortest.precision() > 1) {
            MathContext fewer = new MathContext(shortest.precision() - 1, RoundingMode.HALF_EVEN);
            BigDecimal shorter = new BigDecimal(value).round(fewer);
            if (shorter.doubleValue() != value) {
                break;
            }
            shortest = shorter.stripTrailingZeros();
        }
        return shortest;
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
