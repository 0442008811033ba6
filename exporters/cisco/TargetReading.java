import java.util.List;
import java.util.Map;

/**
 * What one target gave: the tables of the groups that were read (maybe in part), the seconds each group
 * took (read or not), why the others failed, and what could not be read of those that were ({@code
 * failures}: a column the agent refused or answered wrongly). A group succeeded when it was read with no
 * failure; a target is up when something of it was read.
 */
record TargetReading(String instance, Map<PollGroup, SnmpTable> tables, Map<PollGroup, Double> seconds,
        Map<PollGroup, String> errors, Map<PollGroup, List<String>> failures) {

    TargetReading(String instance, Map<PollGroup, SnmpTable> tables, Map<PollGroup, Double> seconds,
            Map<PollGroup, String> errors) {
        this(instance, tables, seconds, errors, Map.of());
    }

    /** Whether every request of {@code group} was answered, well-formed and without error. */
    boolean succeeded(PollGroup group) {
        return tables.containsKey(group) && failures.getOrDefault(group, List.of()).isEmpty();
    }

    /** Whether anything was read: a group that succeeded (even with nothing to read) or some values. */
    boolean up() {
        for (PollGroup group : PollGroup.values()) {
            if (succeeded(group) || tables.containsKey(group) && !tables.get(group).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Why nothing was read: the first group's error, or its first failure. */
    String why() {
        for (PollGroup group : PollGroup.values()) {
            if (errors.containsKey(group)) {
                return errors.get(group);
            }
            List<String> failed = failures.getOrDefault(group, List.of());
            if (!failed.isEmpty()) {
                return failed.get(0);
            }
        }
        return "nothing read";
    }

    /** The table of {@code group}, or an empty one when that group failed. */
    SnmpTable table(PollGroup group) {
        return tables.getOrDefault(group, new SnmpTable());
    }
}
