import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;

/**
 * What a walk found: for every root OID walked, its values by the OID suffix after the root (the row index).
 * The table keeps the index OIDs it is given (snmp4j's OIDs are mutable: nothing here changes one in place).
 */
final class SnmpTable {
    private static final OID SCALAR_INDEX = new OID(new int[] {0});
    private static final NavigableMap<OID, Variable> NONE = Collections.emptyNavigableMap();
    private final Map<OID, NavigableMap<OID, Variable>> columns = new LinkedHashMap<>();

    /** Records {@code value} at {@code root}.{@code index}. */
    SnmpTable put(OID root, OID index, Variable value) {
        NavigableMap<OID, Variable> column = columns.get(root);
        if (column == null) {
            column = new TreeMap<>();
            columns.put(new OID(root), column);
        }
        column.put(index, value);
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

    /**
     * The column under {@code root}, by row index, in OID order; empty when the agent has none. The table's
     * own map, read many times a scrape (no copy, no wrapper): only {@link #put} and {@link #remove} change it.
     */
    NavigableMap<OID, Variable> column(OID root) {
        NavigableMap<OID, Variable> column = columns.get(root);
        return column == null ? NONE : column;
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
