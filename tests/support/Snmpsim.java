import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A simulated SNMP agent: Debian's {@code snmpsimd} serving {@code .snmprec} fixtures on a free UDP loopback
 * port, stopped on close. Each fixture's community is its base name ({@code nexus.snmprec} answers to "nexus");
 * {@link #community} is the first one's.
 */
final class Snmpsim implements AutoCloseable {
    private final Process process;
    private final Path dir;
    final int port;
    final String community;

    private Snmpsim(Process process, Path dir, int port, String community) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.community = community;
    }

    /** The recordings of real devices beside the clone ({@code ../shared/fixtures/real-devices}, read-only). */
    static Path realDevices() {
        return Project.root().getParent().resolve("shared/fixtures/real-devices");
    }

    /** The community that serves {@code fixture}. */
    static String community(Path fixture) {
        return fixture.getFileName().toString().replaceFirst("\\.snmprec$", "");
    }

    static Snmpsim start(Path fixture, Path... more) throws Exception {
        String binary = Commands.require("snmpsimd", "snmpsim");
        // snmpsimd drops root for nobody, who must reach the data and write the cache: a world-readable directory
        // of our own, outside JUnit's private temp directories
        Path dir = Files.createTempDirectory("snmpsim", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path data = Files.createDirectories(dir.resolve("data"));
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.copy(fixture, data.resolve(fixture.getFileName()));
        for (Path other : more) {
            Files.copy(other, data.resolve(other.getFileName()));
        }
        try (Stream<Path> files = Files.list(data)) { // snmpsimd runs as nobody; the shared recordings are r--r--r--
            for (Path file : files.toList()) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        String community = community(fixture);
        int port = SnmpAgents.freeUdpPort();
        List<String> command = new ArrayList<>(List.of(binary, "--data-dir=" + data, "--cache-dir=" + cache,
                "--agent-udpv4-endpoint=127.0.0.1:" + port, "--logging-method=stderr"));
        if ("root".equals(System.getProperty("user.name"))) { // it refuses to run as root otherwise
            command.addAll(List.of("--process-user=nobody", "--process-group=nogroup"));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("snmpsimd.log").toFile()).start();
        Snmpsim agent = new Snmpsim(process, dir, port, community);
        try {
            SnmpAgents.awaitAnswer("snmpsimd", process, agent.address(), community, dir, agent::log);
        } catch (Throwable e) {
            agent.close();
            throw e;
        }
        return agent;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    String log() {
        try {
            return Files.readString(dir.resolve("snmpsimd.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws Exception {
        SnmpAgents.stop(process);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
