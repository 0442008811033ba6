import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.snmp4j.smi.OID;

/**
 * An snmpsim recording ({@code .snmprec}: {@code OID|type|value} lines) read independently of the exporter,
 * so tests can check its output value by value against what the device said.
 */
final class SnmpRecording {
    /** One recorded value: the snmprec type tag ({@code 2}, {@code 4x}, {@code 70} ...) and its text. */
    record Value(String type, String text) {
        /** The number, for the integer, counter, gauge and timeticks types. */
        double number() {
            return switch (type) {
                case "2", "65", "66", "67", "70" -> Double.parseDouble(text);
                default -> throw new IllegalStateException("not a number: " + this);
            };
        }

        /** The string, hex-encoded ones decoded as UTF-8, trailing NULs cut as the exporter does. */
        String string() {
            String value = type.equals("4x") ? new String(bytes(), StandardCharsets.UTF_8) : text;
            return value.replaceAll("\u0000+$", "");
        }

        byte[] bytes() {
            return type.equals("4x") ? HexFormat.of().parseHex(text) : text.getBytes(StandardCharsets.UTF_8);
        }
    }

    private final NavigableMap<OID, Value> values = new TreeMap<>();
    final String name;

    private SnmpRecording(String name) {
        this.name = name;
    }

    static SnmpRecording read(Path file) {
        SnmpRecording recording = new SnmpRecording(file.getFileName().toString());
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                String[] parts = line.split("\\|", 3);
                if (parts.length == 3) {
                    recording.values.put(new OID(parts[0]), new Value(parts[1], parts[2]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return recording;
    }

    /** The value at {@code oid}, or null. */
    Value get(String oid) {
        return values.get(new OID(oid));
    }

    /** The column under {@code root}, by row index (dotted), in OID order. */
    Map<String, Value> column(String root) {
        OID prefix = new OID(root);
        Map<String, Value> column = new LinkedHashMap<>();
        for (Map.Entry<OID, Value> entry : values.tailMap(prefix, false).entrySet()) {
            if (!entry.getKey().startsWith(prefix)) {
                break;
            }
            column.put(entry.getKey().getSuffix(prefix).toDottedString(), entry.getValue());
        }
        return column;
    }

    /** The number at {@code root}.{@code index}, or NaN when the device did not record one. */
    double number(String root, String index) {
        Value value = get(root + "." + index);
        return value == null ? Double.NaN : value.number();
    }
}
