import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * Walks several columns at once with GETBULK, as {@code snmpbulkwalk} does for one: every request asks for
 * each unfinished column from where it stopped, so a table of R rows and C columns costs about
 * R / max-repetitions round trips instead of R × C. Scalars ride along as non-repeaters. Then it GETs the
 * single instances asked for with {@link #get} (values found by instance, such as entPhysicalName of a CPU).
 *
 * <p>A walker is a state machine without I/O: {@link #next()} says what to ask, {@link #accept} files the
 * answer, {@link #refused} takes an agent's error-status. {@link #walk} drives it with a blocking client; the
 * {@link TargetPoller} drives many at once from one thread. {@link #part} continues part of a walk on its own,
 * which is how one GETNEXT of every column (a probe) tells which tables an agent has before walking them.
 *
 * <p>What one column or scalar does wrong costs only itself, and {@link #failures()} says what and why:
 * <ul>
 * <li>an error-status naming a binding (genErr, noAccess ...): that OID is left out and the rest asked again;
 * <li>an error-status that names none: the request is halved until the OID at fault is alone;
 * <li>a malformed answer (a NULL value, an OID not after the one asked for: net-snmp's "OID not increasing"):
 * that column is left out, with the rows it gave.
 * </ul>
 * A timeout, a wrong credential or {@value #MAX_REFUSALS} refused requests in a row end the whole walk.
 */
final class SnmpWalker {
    /** One request: a GETBULK whose first {@code nonRepeaters} OIDs are scalars, or a GET of instances. */
    record Request(List<OID> oids, int nonRepeaters, int maxRepetitions, boolean get) {
        Request(List<OID> oids, int nonRepeaters, int maxRepetitions) {
            this(oids, nonRepeaters, maxRepetitions, false);
        }
    }

    static final int MAX_REFUSALS = 8;
    static final int MAX_GET = 40; // instances per GET

    private final SnmpTable table = new SnmpTable();
    private final List<OID> scalars;       // scalars not answered yet
    private final List<OID> roots;         // the unfinished columns
    private final List<OID> cursors;       // where each of them stopped (the root: not asked yet)
    private final List<OID> instanceRoots = new ArrayList<>();   // GETs to do: the column
    private final List<OID> instanceIndexes = new ArrayList<>(); // and the row
    private final Map<OID, String> failures = new LinkedHashMap<>();
    private final int maxRepetitions;
    private int repetitions;               // of the next request: the first may differ (a hint of the row count)
    private int width = Integer.MAX_VALUE; // columns per request, narrowed when even one row is tooBig
    private int limit = Integer.MAX_VALUE; // OIDs per request, narrowed to find the one an agent refuses unnamed
    private int refusals;                  // requests refused in a row
    private Request asked;
    private int[] askedColumns;            // the position in roots of each column the last request asked

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
        walker.run(client);
        return walker.table();
    }

    /** Asks {@code client} until nothing is left, blocking. */
    void run(SnmpClient client) throws IOException {
        for (Request request = next(); request != null; request = next()) {
            List<VariableBinding> answer;
            try {
                answer = request.get() ? client.get(request.oids())
                        : client.getBulk(request.oids(), request.nonRepeaters(), request.maxRepetitions());
            } catch (SnmpClient.AgentError e) {
                refused(e);
                continue;
            }
            accept(answer);
        }
    }

    /** Asks for {@code root}.{@code index} with a GET once the walk is done (or now, when there is none). */
    void get(OID root, OID index) {
        instanceRoots.add(root);
        instanceIndexes.add(index);
    }

    /** The next request, or null when every scalar is answered, every column finished and every GET done. */
    Request next() {
        asked = null;
        askedColumns = null;
        if (!scalars.isEmpty() || !roots.isEmpty()) {
            int nonRepeaters = Math.min(scalars.size(), limit);
            int columns = Math.min(Math.min(width, roots.size()), limit - nonRepeaters);
            askedColumns = choose(columns);
            List<OID> oids = new ArrayList<>(nonRepeaters + columns);
            oids.addAll(scalars.subList(0, nonRepeaters));
            for (int column : askedColumns) {
                oids.add(cursors.get(column));
            }
            asked = new Request(List.copyOf(oids), nonRepeaters, columns == 0 ? 0 : repetitions);
        } else if (!instanceRoots.isEmpty()) {
            int n = Math.min(instanceRoots.size(), Math.min(limit, MAX_GET));
            List<OID> oids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                oids.add(new OID(instanceRoots.get(i)).append(instanceIndexes.get(i)));
            }
            asked = new Request(List.copyOf(oids), 0, 0, true);
        }
        return asked;
    }

    /** {@code n} columns to ask: those never asked first, so that narrowed requests still reach every column. */
    private int[] choose(int n) {
        int[] chosen = new int[n];
        int k = 0;
        for (int i = 0; i < roots.size() && k < n; i++) {
            if (cursors.get(i).equals(roots.get(i))) {
                chosen[k++] = i;
            }
        }
        for (int i = 0; i < roots.size() && k < n; i++) {
            if (!cursors.get(i).equals(roots.get(i))) {
                chosen[k++] = i;
            }
        }
        return chosen;
    }

    /** Files the agent's answer to the last {@link #next()} request. */
    void accept(List<VariableBinding> answer) throws IOException {
        Request request = asked;
        int[] columns = askedColumns;
        asked = null;
        if (answer.isEmpty() || request.get() && answer.size() != request.oids().size()) {
            unnamed(request, columns, "malformed answer: " + answer.size() + " values for " + request.oids().size()
                    + " OIDs");
            return;
        }
        refusals = 0;
        if (request.get()) {
            acceptInstances(request, answer);
            return;
        }
        int nonRepeaters = request.nonRepeaters();
        int answered = Math.min(nonRepeaters, answer.size()); // an agent may truncate even the scalars
        List<OID> done = new ArrayList<>(scalars.subList(0, answered));
        scalars.subList(0, answered).clear(); // answered, present or not
        for (int i = 0; i < answered; i++) {
            VariableBinding binding = answer.get(i);
            OID root = done.get(i);
            String malformed = malformed(binding, root);
            if (malformed != null) {
                failures.put(root, Mibs.describe(root) + ": " + malformed);
            } else if (!binding.isException() && binding.getOid().startsWith(root)
                    && binding.getOid().size() > root.size()) {
                table.put(root, binding.getOid().getSuffix(root), binding.getVariable());
            }
        }
        if (columns.length > 0) {
            advance(columns, answer.subList(answered, answer.size()));
        }
        repetitions = maxRepetitions;
    }

    /**
     * What is wrong with {@code binding} as the answer to a GETNEXT of {@code after}, or null. An exception
     * (endOfMibView, or noSuch* from a lax agent) is an answer: the end. A NULL value is none, and an OID not
     * after the one asked for would make a walk go round in circles.
     */
    private static String malformed(VariableBinding binding, OID after) {
        if (binding.isException()) {
            return null;
        }
        if (binding.getVariable() instanceof Null) {
            return "malformed answer: " + binding.getOid() + " with a NULL value";
        }
        if (binding.getOid().compareTo(after) <= 0) {
            return "malformed answer: OID not increasing (" + binding.getOid() + " after " + after + ")";
        }
        return null;
    }

    private void acceptInstances(Request request, List<VariableBinding> answer) {
        int n = request.oids().size();
        for (int i = 0; i < n; i++) {
            VariableBinding binding = answer.get(i);
            OID root = instanceRoots.get(i);
            if (!binding.getOid().equals(request.oids().get(i)) || binding.getVariable() instanceof Null
                    && !binding.isException()) {
                failures.putIfAbsent(root, Mibs.describe(root) + ": malformed answer: " + binding + " to a GET of "
                        + request.oids().get(i));
            } else if (!binding.isException()) { // noSuchObject, noSuchInstance: not there
                table.put(root, instanceIndexes.get(i), binding.getVariable());
            }
        }
        instanceRoots.subList(0, n).clear();
        instanceIndexes.subList(0, n).clear();
    }

    /**
     * The agent refused the last request. tooBig: the next one asks for fewer rows, or when one row is
     * already too much, for fewer columns (agents ought to truncate a GETBULK; some refuse instead). Any other
     * error-status: the OID it names is left out; when it names none, the request is halved until it does.
     */
    void refused(SnmpClient.AgentError error) throws IOException {
        Request request = asked;
        int[] columns = askedColumns;
        asked = null;
        int n = request.oids().size();
        int repeaters = n - request.nonRepeaters();
        if (error.status == SnmpClient.AgentError.TOO_BIG) {
            if (!request.get() && request.maxRepetitions() > 1 && repeaters > 0) {
                repetitions = Math.max(1, request.maxRepetitions() / 2);
            } else if (!request.get() && repeaters > 1) {
                width = Math.max(1, repeaters / 2);
            } else if (n > 1) {
                limit = Math.max(1, n / 2);
            } else {
                fail(request, columns, 0, "the agent answered tooBig to a request for it alone");
            }
            return;
        }
        if (++refusals > MAX_REFUSALS) {
            throw new IOException("the agent refused " + MAX_REFUSALS + " requests in a row, the last with "
                    + error.statusName());
        }
        if (error.index >= 1 && error.index <= n) {
            fail(request, columns, error.index - 1, "the agent answered " + error.statusName());
        } else {
            unnamed(request, columns, "the agent answered " + error.statusName() + " (error-index " + error.index + ")");
        }
    }

    /** A refusal that names no OID: halve the request until the OID at fault is alone, then leave it out. */
    private void unnamed(Request request, int[] columns, String why) throws IOException {
        if (++refusals > MAX_REFUSALS) {
            throw new IOException(why + ", to " + MAX_REFUSALS + " requests in a row");
        }
        if (request.oids().size() == 1) {
            fail(request, columns, 0, why);
        } else {
            limit = Math.max(1, request.oids().size() / 2);
        }
    }

    /** Leaves out the scalar, column or instance at {@code position} of {@code request}, saying why. */
    private void fail(Request request, int[] columns, int position, String why) {
        OID root;
        if (request.get()) {
            root = instanceRoots.remove(position);
            instanceIndexes.remove(position);
            why = "row " + request.oids().get(position).getSuffix(root) + ": " + why;
        } else if (position < request.nonRepeaters()) {
            root = scalars.remove(position);
        } else {
            int column = columns[position - request.nonRepeaters()];
            root = roots.remove(column);
            cursors.remove(column);
            table.remove(root);
        }
        failures.putIfAbsent(root, Mibs.describe(root) + ": " + why);
        limit = Integer.MAX_VALUE; // found: the others may go together again
    }

    /** What could not be read, by scalar or column, and why; the rest of the walk is in {@link #table()}. */
    Map<OID, String> failures() {
        return Collections.unmodifiableMap(failures);
    }

    /** What was read so far: scalars by {@code root} with index 0, columns by row index. */
    SnmpTable table() {
        return table;
    }

    /** Whether {@code column} is still unfinished (it may have rows to come). */
    boolean open(OID column) {
        return roots.contains(column);
    }

    /** Whether every scalar was answered and every column asked once (what a probe needs). */
    boolean probed() {
        if (!scalars.isEmpty()) {
            return false;
        }
        for (int i = 0; i < roots.size(); i++) {
            if (cursors.get(i).equals(roots.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Walks {@code column} too, from its first row. */
    void add(OID column) {
        if (!roots.contains(column)) {
            roots.add(column);
            cursors.add(column);
        }
    }

    /** Stops walking {@code column} and forgets its rows (a column not needed after all). */
    void drop(OID column) {
        int at = roots.indexOf(column);
        if (at >= 0) {
            roots.remove(at);
            cursors.remove(at);
        }
        table.remove(column);
        failures.remove(column);
    }

    /**
     * A walker for part of this one: what was read under {@code scalars} and {@code columns} so far, what
     * failed, and the rest of it to do, the open columns continuing from where they stopped.
     */
    SnmpWalker part(List<OID> scalars, List<OID> columns, int firstRepetitions, int maxRepetitions) {
        SnmpWalker part = new SnmpWalker(List.of(), List.of(), firstRepetitions, maxRepetitions);
        for (OID scalar : scalars) {
            if (this.scalars.contains(scalar)) {
                part.scalars.add(scalar);
            }
            copy(scalar, part);
        }
        for (OID column : columns) {
            int at = roots.indexOf(column);
            if (at >= 0) {
                part.roots.add(column);
                part.cursors.add(cursors.get(at));
            }
            copy(column, part);
        }
        return part;
    }

    private void copy(OID root, SnmpWalker into) {
        for (Map.Entry<OID, Variable> row : table.column(root).entrySet()) {
            into.table.put(root, row.getKey(), row.getValue());
        }
        if (failures.containsKey(root)) {
            into.failures.put(root, failures.get(root));
        }
    }

    /**
     * Files the rows of a GETBULK answer for the columns asked (row-major: column k of a row is binding k mod
     * n) and drops the columns that finished, or that the agent answered wrongly.
     */
    private void advance(int[] columns, List<VariableBinding> rows) {
        int n = columns.length;
        boolean[] finished = new boolean[n];
        String[] malformed = new String[n];
        for (int k = 0; k < rows.size(); k++) {
            int c = k % n;
            if (finished[c] || malformed[c] != null) {
                continue;
            }
            VariableBinding binding = rows.get(k);
            OID oid = binding.getOid();
            int column = columns[c];
            OID root = roots.get(column);
            malformed[c] = malformed(binding, cursors.get(column));
            if (malformed[c] != null) {
                continue;
            }
            // leaving the subtree, or the end of the MIB view, end the column
            if (binding.isException() || !oid.startsWith(root) || oid.size() == root.size()) {
                finished[c] = true;
                continue;
            }
            table.put(root, oid.getSuffix(root), binding.getVariable());
            cursors.set(column, oid);
        }
        List<Integer> ended = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            if (malformed[c] != null) {
                OID root = roots.get(columns[c]);
                table.remove(root);
                failures.put(root, Mibs.describe(root) + ": " + malformed[c]);
            }
            if (finished[c] || malformed[c] != null) {
                ended.add(columns[c]);
            }
        }
        ended.sort(Collections.reverseOrder());
        for (int column : ended) {
            roots.remove(column);
            cursors.remove(column);
        }
    }
}
