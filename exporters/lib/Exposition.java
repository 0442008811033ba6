import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The text format 0.0.4 of a run's metrics, without simpleclient's {@code _created} series. */
final class Exposition {
    private Exposition() {
    }

    /**
     * The families of {@code registry} without {@code _created} samples (the original had none), sorted by name
     * as Prometheus's Go client gathers them: simpleclient keeps its collectors in a hash map, whose order would
     * be arbitrary.
     */
    static List<MetricFamilySamples> families(CollectorRegistry registry) {
        List<MetricFamilySamples> result = new ArrayList<>();
        for (MetricFamilySamples family : Collections.list(registry.metricFamilySamples())) {
            List<MetricFamilySamples.Sample> samples = new ArrayList<>();
            for (MetricFamilySamples.Sample sample : family.samples) {
                if (!sample.name.equals(family.name + "_created")) {
                    samples.add(sample);
                }
            }
            result.add(new MetricFamilySamples(family.name, family.unit, family.type, family.help, samples));
        }
        result.sort(ByName.INSTANCE);
        return result;
    }

    /** A class, not a lambda: a fresh JVM would pay for linking its first lambda (see ExporterRun). */
    private static final class ByName implements Comparator<MetricFamilySamples> {
        static final ByName INSTANCE = new ByName();

        @Override
        public int compare(MetricFamilySamples a, MetricFamilySamples b) {
            return a.name.compareTo(b.name);
        }
    }

    /** A registry holding a snapshot of {@link #families}, for the Pushgateway client. */
    static CollectorRegistry snapshot(CollectorRegistry registry) {
        List<MetricFamilySamples> families = families(registry);
        CollectorRegistry copy = new CollectorRegistry();
        copy.register(new Collector() {
            @Override
            public List<MetricFamilySamples> collect() {
                return families;
            }
        });
        return copy;
    }

    static String text(CollectorRegistry registry) {
        TextWriter out = new TextWriter();
        try {
            TextFormat.write004(out, Collections.enumeration(families(registry)));
        } catch (IOException e) {
            throw new IllegalStateException(e); // a TextWriter does not fail
        }
        return out.toString();
    }

    /**
     * A StringWriter without its lock: TextFormat writes a character at a time, and StringWriter's
     * StringBuffer takes a lock for each one (a quarter of a warm cisco run went there).
     */
    private static final class TextWriter extends Writer {
        private final StringBuilder text = new StringBuilder(4096);

        @Override
        public void write(int c) {
            text.append((char) c);
        }

        @Override
        public void write(String s) {
            text.append(s);
        }

        @Override
        public void write(String s, int offset, int length) {
            text.append(s, offset, offset + length);
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            text.append(chars, offset, length);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    /** Writes {@code text} to {@code file} through a temporary file, so no reader sees half of it. */
    static void writeAtomically(Path file, String text) throws IOException {
        // java.io, not Files.createTempFile (its SecureRandom costs a fresh JVM some 8 ms: security providers
        // and properties) nor NIO channels (another 1-2 ms of classes to load)
        Path absolute = file.toAbsolutePath();
        File directory = absolute.getParent().toFile();
        if (!directory.isDirectory()) {
            throw new IOException("no such directory: " + absolute.getParent());
        }
        File temp = null;
        for (int attempt = 0; temp == null; attempt++) {
            File candidate = new File(directory, "." + absolute.getFileName() + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            if (candidate.createNewFile()) { // O_EXCL
                temp = candidate;
            } else if (attempt > 10) {
                throw new IOException("cannot create a temporary file in " + directory);
            }
        }
        try {
            try (FileOutputStream out = new FileOutputStream(temp)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            if (!temp.renameTo(absolute.toFile())) { // rename(2): atomic; on failure, NIO says why
                Files.move(temp.toPath(), absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            temp.delete();
        }
    }
}
