import java.util.Map;

/**
 * What one target gave: the tables of the groups that answered, the seconds each group took (answered or
 * not), and why the others failed. A target is up when any group answered.
 */
record TargetReading(String instance, Map<PollGroup, SnmpTable> tables, Map<PollGroup, Double> seconds,
        Map<PollGroup, String> errors) {

    boolean up() {
        return !tables.isEmpty();
    }

    /** The table of {@code group}, or an empty one when that group failed. */
    SnmpTable table(PollGroup group) {
        return tables.getOrDefault(group, new SnmpTable());
    }
}
