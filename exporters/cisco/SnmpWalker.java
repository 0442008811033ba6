import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.SMIConstants;
import org.snmp4j.smi.VariableBinding;

/**
 * Walks several columns at once with GETBULK, as {@code snmpbulkwalk} does for one: every request asks for
 * each unfinished column from where it stopped, so a table of R rows and C columns costs about
 * R / max-repetitions round trips instead of R × C. Scalars ride along in the first request as non-repeaters.
 */
final class SnmpWalker {
    private SnmpWalker() {
    }

    /** Reads scalars {@code root}.0 and every row of {@code columns}. */
    static SnmpTable walk(SnmpClient client, List<OID> scalars, List<OID> columns, int maxRepetitions)
            throws IOException {
        SnmpTable table = new SnmpTable();
        List<OID> roots = new ArrayList<>(columns);   // the unfinished columns
        List<OID> cursors = new ArrayList<>(columns); // where each of them stopped
        boolean first = true;
        int repetitions = Math.max(1, maxRepetitions);
        while (first && !scalars.isEmpty() || !roots.isEmpty()) {
            List<OID> request = new ArrayList<>(first ? scalars : List.of());
            request.addAll(cursors);
            int nonRepeaters = first ? scalars.size() : 0;
            List<VariableBinding> answer;
            try {
                answer = client.getBulk(request, nonRepeaters, roots.isEmpty() ? 0 : repetitions);
            } catch (SnmpClient.AgentError e) {
                if (e.status != SnmpClient.AgentError.TOO_BIG || repetitions == 1) {
                    throw e;
                }
                repetitions = Math.max(1, repetitions / 2); // agents ought to truncate GETBULK, some refuse instead
                continue;
            }
            for (int i = 0; i < nonRepeaters && i < answer.size(); i++) {
                VariableBinding binding = answer.get(i);
                OID root = scalars.get(i);
                if (!binding.isException() && binding.getOid().startsWith(root)) {
                    table.put(root, binding.getOid().getSuffix(root), binding.getVariable());
                }
            }
            first = false;
            List<VariableBinding> rows = answer.subList(Math.min(nonRepeaters, answer.size()), answer.size());
            if (roots.isEmpty()) {
                break;
            }
            if (rows.isEmpty()) {
                throw new IOException("the agent answered a GETBULK for " + roots.size() + " columns with no values");
            }
            advance(table, roots, cursors, rows);
        }
        return table;
    }

    /** Files a GETBULK answer (row-major: column k of a row is binding k mod n) and drops finished columns. */
    private static void advance(SnmpTable table, List<OID> roots, List<OID> cursors, List<VariableBinding> rows) {
        int n = roots.size();
        boolean[] finished = new boolean[n];
        for (int k = 0; k < rows.size(); k++) {
            int column = k % n;
            if (finished[column]) {
                continue;
            }
            VariableBinding binding = rows.get(k);
            OID oid = binding.getOid();
            OID root = roots.get(column);
            // leaving the subtree, the end of the MIB view, or an agent going backwards all end the column
            if (binding.getSyntax() == SMIConstants.EXCEPTION_END_OF_MIB_VIEW || !oid.startsWith(root)
                    || oid.size() == root.size() || oid.compareTo(cursors.get(column)) <= 0) {
                finished[column] = true;
                continue;
            }
            table.put(root, oid.getSuffix(root), binding.getVariable());
            cursors.set(column, new OID(oid));
        }
        for (int column = n - 1; column >= 0; column--) {
            if (finished[column]) {
                roots.remove(column);
                cursors.remove(column);
            }
        }
    }
}
