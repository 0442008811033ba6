import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A simulated SNMP agent: Debian's {@code snmpsimd} serving one {@code .snmprec} fixture on a free UDP loopback
 * port, stopped on close. Its community is the fixture's base name ({@code nexus.snmprec} answers to "nexus").
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

    static Snmpsim start(Path fixture) throws Exception {
        String binary = Commands.require("snmpsimd", "snmpsim");
        // snmpsimd drops root for nobody, who must reach the data and write the cache: a world-readable directory
        // of our own, outside JUnit's private temp directories
        Path dir = Files.createTempDirectory("snmpsim", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path data = Files.createDirectories(dir.resolve("data"));
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.copy(fixture, data.resolve(fixture.getFileName()));
        String community = fixture.getFileName().toString().replaceFirst("\\.snmprec$", "");
        int port = freeUdpPort();
        List<String> command = new ArrayList<>(List.of(binary, "--data-dir=" + data, "--cache-dir=" + cache,
                "--agent-udpv4-endpoint=127.0.0.1:" + port, "--logging-method=stderr"));
        if ("root".equals(System.getProperty("user.name"))) { // it refuses to run as root otherwise
            command.addAll(List.of("--process-user=nobody", "--process-group=nogroup"));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("snmpsimd.log").toFile()).start();
        Snmpsim agent = new Snmpsim(process, dir, port, community);
        try {
            agent.awaitAnswer();
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

    /** A UDP port that was free on 127.0.0.1 a moment ago. */
    static int freeUdpPort() {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls with net-snmp's snmpget until the agent answers sysName (it indexes the fixture first). */
    private void awaitAnswer() throws InterruptedException {
        String snmpget = Commands.require("snmpget", "snmp");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("snmpsimd exited with " + process.exitValue() + ":\n" + log());
            }
            Commands.Result probe = Commands.run(List.of(snmpget, "-v2c", "-c", community, "-t", "0.3", "-r", "0",
                    address(), "1.3.6.1.2.1.1.5.0"), dir, Map.of(), Duration.ofSeconds(10));
            if (probe.exit() == 0) {
                return;
            }
            Thread.sleep(100);
        }
        fail("snmpsimd did not answer on " + address() + " within 30 s:\n" + log());
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
