import java.nio.charset.StandardCharsets;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.Variable;

/** SNMP values as metric values and labels. */
final class SnmpValues {
    static final String UNKNOWN = "unknown";

    private SnmpValues() {
    }

    /** The number in {@code value}; NaN when there is none (absent, an exception such as noSuchInstance, text). */
    static double number(Variable value) {
        if (value == null || value.isException() || value instanceof Null) {
            return Double.NaN;
        }
        if (value instanceof Counter64 counter) { // unsigned 64 bits: Java's long would go negative past 2^63
            long bits = counter.getValue();
            return bits >= 0 ? bits : (double) (bits >>> 1) * 2.0 + (bits & 1);
        }
        if (value instanceof OctetString) {
            return Double.NaN;
        }
        try {
            return value.toLong();
        } catch (UnsupportedOperationException notANumber) { // OIDs, addresses, Null
            return Double.NaN;
        }
    }

    /** Sum of the numbers present; NaN when none is. */
    static double sum(Variable... values) {
        double total = Double.NaN;
        for (Variable value : values) {
            double number = number(value);
            if (!Double.isNaN(number)) {
                total = Double.isNaN(total) ? number : total + number;
            }
        }
        return total;
    }

    /** The text of an OCTET STRING as UTF-8 (snmp4j's toString() turns anything non-ASCII into hex); null if absent. */
    static String text(Variable value) {
        if (value == null || value.isException()) {
            return null;
        }
        if (value instanceof OctetString octets) {
            String text = new String(octets.getValue(), StandardCharsets.UTF_8);
            int end = text.length();
            while (end > 0 && text.charAt(end - 1) == '\0') { // some agents pad with NULs
                end--;
            }
            return text.substring(0, end);
        }
        return value.toString();
    }

    /** Like {@link #text} but {@code unknown} when absent or empty, as the original's description label. */
    static String textOrUnknown(Variable value) {
        String text = text(value);
        return text == null || text.isBlank() ? UNKNOWN : text;
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** ifPhysAddress in Cisco's dotted form {@code aabb.ccdd.eeff}; {@code unknown} when empty (a loopback). */
    static String ciscoMac(Variable value) {
        if (!(value instanceof OctetString octets) || octets.length() == 0) {
            return UNKNOWN;
        }
        byte[] bytes = octets.getValue();
        StringBuilder dotted = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0 && i % 2 == 0) {
                dotted.append('.');
            }
            dotted.append(HEX[(bytes[i] >> 4) & 0xf]).append(HEX[bytes[i] & 0xf]); // not String.format: a Formatter per byte
        }
        return dotted.toString();
    }
}
