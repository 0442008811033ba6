import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** What the tests' SNMP agents (snmpd, snmpsimd) share: a free UDP port, waiting until one answers, stopping it. */
final class SnmpAgents {
    private SnmpAgents() {
    }

    /** A UDP port that was free on 127.0.0.1 a moment ago. */
    static int freeUdpPort() {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls with net-snmp's snmpget until the agent answers sysName over v2c, for at most 30 s; fails with its log. */
    static void awaitAnswer(String name, Process process, String address, String community, Path dir,
            Supplier<String> log) throws InterruptedException {
        String snmpget = Commands.require("snmpget", "snmp");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail(name + " exited with " + process.exitValue() + ":\n" + log.get());
            }
            // MIBS empty: numeric OIDs only, no MIB parsing and no MIB warnings
            Commands.Result probe = Commands.run(List.of(snmpget, "-v2c", "-c", community, "-t", "0.3", "-r", "0",
                    address, "1.3.6.1.2.1.1.5.0"), dir, Map.of("MIBS", ""), Duration.ofSeconds(10));
            if (probe.exit() == 0) {
                return;
            }
            Thread.sleep(100);
        }
        fail(name + " did not answer on " + address + " within 30 s:\n" + log.get());
    }

    /** SIGTERM, then SIGKILL after 10 s. */
    static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
