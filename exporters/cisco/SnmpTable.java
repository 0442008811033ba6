import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;

/** What a walk found: for every root OID walked, its values by the OID suffix after the root (the row index). */
final class SnmpTable {
    private static final OID SCALAR_INDEX = new OID(new int[] {0});
    private final Map<OID, NavigableMap<OID, Variable>> columns = new LinkedHashMap<>();

    /** Records {@code value} at {@code root}.{@code index}. */
    SnmpTable put(OID root, OID index, Variable value) {
        columns.computeIfAbsent(new OID(root), r -> new TreeMap<>()).put(new OID(index), value);
        return this;
    }

    /** Whether nothing was recorded. */
    boolean isEmpty() {
        return columns.isEmpty();
    }

    /** Forgets every row of {@code root}. */
    void remove(OID root) {
        columns.remove(root);
    }

    /** Records {@code value} at {@code root}.{@code index}, the index in dotted form (tests write tables so). */
    SnmpTable put(OID root, String index, Variable value) {
        return put(root, new OID(index), value);
    }

    /** The column under {@code root}, by row index, in OID order; empty when the agent has none. */
    NavigableMap<OID, Variable> column(OID root) {
        return Collections.unmodifiableNavigableMap(columns.getOrDefault(root, new TreeMap<>()));
    }

    /** The value of scalar {@code root}.0, or null. */
    Variable scalar(OID root) {
        return column(root).get(SCALAR_INDEX);
    }

    @Override
    public String toString() {
        return columns.toString();
    }
}
