import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Worker JVMs run as leaders of their own process group (started through {@code setsid}), so that a
 * child they leave behind, even one re-parented to init, can still be found and killed: Linux /proc
 * tells each process's group.
 */
final class ProcessGroups {
    private static final Path PROC = Path.of("/proc");
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final long KILL_WAIT_NANOS = 2_000_000_000L;

    private ProcessGroups() {
    }

    /** The command prefix that makes the process a group leader, when this system has setsid. */
    static List<String> leaderPrefix() {
        return Files.isExecutable(SETSID) ? List.of(SETSID.toString()) : List.of();
    }

    /** Kills every process of group {@code pgid} (and the leader's descendants); returns how many were alive. */
    static int kill(ProcessHandle leader) {
        long pgid = leader.pid();
        List<ProcessHandle> doomed = new ArrayList<>();
        leader.descendants().forEach(doomed::add);
        doomed.addAll(membersOf(pgid));
        doomed.add(leader);
        List<ProcessHandle> killed = new ArrayList<>();
        for (ProcessHandle process : doomed) {
            if (process.isAlive() && process.destroyForcibly()) {
                killed.add(process);
            }
        }
        // SIGKILL is delivered asynchronously: wait (briefly) until they are really gone
        long deadline = System.nanoTime() + KILL_WAIT_NANOS;
        for (ProcessHandle process : killed) {
            while (process.isAlive() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return killed.size();
    }

    /** A /proc entry named by digits only (a process), checked without a regular expression: this runs per scrape. */
    private static boolean isPid(Path entry) {
        String name = entry.getFileName().toString();
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return !name.isEmpty();
    }

    /** Processes whose group id is {@code pgid}, from /proc/PID/stat (field 5, after the parenthesised name). */
    static List<ProcessHandle> membersOf(long pgid) {
        List<ProcessHandle> members = new ArrayList<>();
        try (var entries = Files.newDirectoryStream(PROC, ProcessGroups::isPid)) {
            for (Path entry : entries) {
                String stat;
                try {
                    stat = Files.readString(entry.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (fields.length > 2 && fields[2].equals(Long.toString(pgid))) {
                    ProcessHandle.of(Long.parseLong(entry.getFileName().toString())).ifPresent(members::add);
                }
            }
        } catch (IOException e) {
            // no /proc: only descendants can be found
        }
        return members;
    }
}
