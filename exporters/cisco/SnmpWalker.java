import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.SMIConstants;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * Walks several columns at once with GETBULK, as {@code snmpbulkwalk} does for one: every request asks for
 * each unfinished column from where it stopped, so a table of R rows and C columns costs about
 * R / max-repetitions round trips instead of R × C. Scalars ride along as non-repeaters.
 *
 * <p>A walker is a state machine without I/O: {@link #next()} says what to ask, {@link #accept} files the
 * answer, {@link #refused} takes an agent's tooBig. {@link #walk} drives it with a blocking client; the
 * {@link TargetPoller} drives many at once from one thread. {@link #part} continues part of a walk on its own,
 * which is how one GETNEXT of every column (a probe) tells which tables an agent has before walking them.
 */
final class SnmpWalker {
    /** One GETBULK request: the first {@code nonRepeaters} OIDs are scalars. */
    record Request(List<OID> oids, int nonRepeaters, int maxRepetitions) {
    }

    private final SnmpTable table = new SnmpTable();
    private final List<OID> scalars;       // scalars not answered yet
    private final List<OID> roots;         // the unfinished columns
    private final List<OID> cursors;       // where each of them stopped
    private final int maxRepetitions;
    private int repetitions;               // of the next request: the first may differ (a hint of the row count)
    private int width = Integer.MAX_VALUE; // columns per request, narrowed when even one row is tooBig
    private Request asked;

    SnmpWalker(List<OID> scalars, List<OID> columns, int firstRepetitions, int maxRepetitions) {
        this.scalars = new ArrayList<>(scalars);
        this.roots = new ArrayList<>(columns);
        this.cursors = new ArrayList<>(columns);
        this.maxRepetitions = Math.max(1, maxRepetitions);
        this.repetitions = Math.max(1, firstRepetitions);
    }

    /** Reads scalars {@code root}.0 and every row of {@code columns}, blocking on {@code client}. */
    static SnmpTable walk(SnmpClient client, List<OID> scalars, List<OID> columns, int maxRepetitions)
            throws IOException {
        SnmpWalker walker = new SnmpWalker(scalars, columns, maxRepetitions, maxRepetitions);
        for (Request request = walker.next(); request != null; request = walker.next()) {
            List<VariableBinding> answer;
            try {
                answer = client.getBulk(request.oids(), request.nonRepeaters(), request.maxRepetitions());
            } catch (SnmpClient.AgentError e) {
                walker.refused(e);
                continue;
            }
            walker.accept(answer);
        }
        return walker.table();
    }

    /** The next request, or null when every scalar is answered and every column finished. */
    Request next() {
        if (scalars.isEmpty() && roots.isEmpty()) {
            asked = null;
            return null;
        }
        List<OID> oids = new ArrayList<>(scalars);
        int columns = Math.min(width, roots.size());
        oids.addAll(cursors.subList(0, columns));
        asked = new Request(List.copyOf(oids), scalars.size(), columns == 0 ? 0 : repetitions);
        return asked;
    }

    /** Files the agent's answer to the last {@link #next()} request. */
    void accept(List<VariableBinding> answer) throws IOException {
        Request request = asked;
        asked = null;
        if (answer.isEmpty()) { // nothing to file would ask the same again, forever
            throw new IOException("the agent answered a GETBULK for " + request.oids().size() + " OIDs with no values");
        }
        int nonRepeaters = request.nonRepeaters();
        int answered = Math.min(nonRepeaters, answer.size()); // an agent may truncate even the scalars
        for (int i = 0; i < answered; i++) {
            VariableBinding binding = answer.get(i);
            OID root = scalars.get(i);
            if (!binding.isException() && binding.getOid().startsWith(root) && binding.getOid().size() > root.size()) {
                table.put(root, binding.getOid().getSuffix(root), binding.getVariable());
            }
        }
        scalars.subList(0, answered).clear(); // answered, present or not
        int columns = request.oids().size() - nonRepeaters;
        if (columns > 0) {
            advance(columns, answer.subList(answered, answer.size()));
        }
        repetitions = maxRepetitions;
    }

    /**
     * The agent refused the last request as tooBig: the next one asks for fewer rows, or when one row is
     * already too much, for fewer columns. Agents ought to truncate a GETBULK; some refuse instead.
     */
    void refused(SnmpClient.AgentError error) throws SnmpClient.AgentError {
        Request request = asked;
        asked = null;
        int columns = request == null ? 0 : request.oids().size() - request.nonRepeaters();
        if (error.status != SnmpClient.AgentError.TOO_BIG || columns == 0
                || request.maxRepetitions() == 1 && columns == 1) {
            throw error;
        }
        if (request.maxRepetitions() > 1) {
            repetitions = Math.max(1, request.maxRepetitions() / 2);
        } else {
            width = Math.max(1, columns / 2);
        }
    }

    /** What was read so far: scalars by {@code root} with index 0, columns by row index. */
    SnmpTable table() {
        return table;
    }

    /** Whether {@code column} is still unfinished (it may have rows to come). */
    boolean open(OID column) {
        return roots.contains(column);
    }

    /**
     * A walker for part of this one: what was read under {@code scalars} and {@code columns} so far, and the
     * rest of it to do, the open columns continuing from where they stopped.
     */
    SnmpWalker part(List<OID> scalars, List<OID> columns, int firstRepetitions, int maxRepetitions) {
        SnmpWalker part = new SnmpWalker(List.of(), List.of(), firstRepetitions, maxRepetitions);
        for (OID scalar : scalars) {
            if (this.scalars.contains(scalar)) {
                part.scalars.add(scalar);
            }
            copy(scalar, part.table);
        }
        for (OID column : columns) {
            int at = roots.indexOf(column);
            if (at >= 0) {
                part.roots.add(column);
                part.cursors.add(cursors.get(at));
            }
            copy(column, part.table);
        }
        return part;
    }

    private void copy(OID root, SnmpTable into) {
        for (Map.Entry<OID, Variable> row : table.column(root).entrySet()) {
            into.put(root, row.getKey(), row.getValue());
        }
    }

    /**
     * Files the rows of a GETBULK answer for the first {@code n} open columns (row-major: column k of a row is
     * binding k mod n) and drops the columns that finished.
     */
    private void advance(int n, List<VariableBinding> rows) {
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
