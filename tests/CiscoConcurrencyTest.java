import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs of the Cisco exporter at once in one JVM, as a warm worker runs them: each on its own thread with its
 * own {@code cisco} instance and registry, all sharing the kept snmp4j engines. Eleven SNMPv2c runs against six
 * simulated devices, each behind a proxy of its own (a target, and so an instance label, of its own), and five
 * against net-snmp, over v2c and as four SNMPv3 users: five credentials, one more than engines are kept, so
 * engines are retired while runs use them. Each result must be exactly what the same run gives alone.
 */
class CiscoConcurrencyTest {
    static final int ROUNDS = 3;
    static Snmpsim snmpsim;
    static Snmpd snmpd;
    static final List<SnmpProxy> PROXIES = new ArrayList<>();
    @TempDir
    static Path dir;

    /** One run: a name for messages, and what it gives (its samples as text, timings left out). */
    record Run(String name, Callable<List<String>> body) {
    }

    @BeforeAll
    static void start() throws Exception {
        Path fixtures = CiscoSnmpsimTest.FIXTURES;
        Path real = Snmpsim.realDevices();
        snmpsim = Snmpsim.start(fixtures.resolve("nexus.snmprec"), fixtures.resolve("router.snmprec"),
                real.resolve("ios_2960x.snmprec"), real.resolve("iosxe_asr920.snmprec"),
                real.resolve("nxos_n3k-3064pq.snmprec"), real.resolve("nxos_n9k-c93180yc-fx3.snmprec"));
        snmpd = Snmpd.start(dir);
        for (int i = 0; i < 11; i++) {
            PROXIES.add(SnmpProxy.start("127.0.0.1", snmpsim.port));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (SnmpProxy proxy : PROXIES) {
            proxy.close();
        }
        if (snmpd != null) {
            snmpd.close();
        }
        if (snmpsim != null) {
            snmpsim.close();
        }
    }

    /** A run as the engine runs one: a new cisco, its options bound, gatherMetrics(), then its own registry. */
    static List<String> viaExporter(String... args) throws Exception {
        cisco exporter = new cisco();
        new CommandLine(exporter).parseArgs(args);
        exporter.gatherMetrics();
        return samples(exporter.metrics);
    }

    /** SNMPv3 runs through the engine's classes: the passwords come from the environment, which a test cannot set. */
    static List<String> viaSession(SnmpSettings settings) throws Exception {
        List<TargetReading> readings;
        try (Snmp4jSession session = Snmp4jSession.open(settings)) {
            readings = TargetPoller.poll(List.of(TargetAddress.parse(snmpd.address())), session::client, 25);
        }
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(CiscoMetrics.collector(CiscoMetrics.families(readings)));
        return stable(samples(registry));
    }

    /** Of a Linux host's samples, those that do not move between runs: the kernel's counters do, states not. */
    static List<String> stable(List<String> samples) {
        return samples.stream().filter(s -> s.startsWith("cisco_eth_state") || s.startsWith("cisco_up")
                || s.startsWith("cisco_command_success")).toList();
    }

    static List<String> samples(CollectorRegistry registry) {
        List<String> samples = new ArrayList<>();
        for (Collector.MetricFamilySamples family : Collections.list(registry.metricFamilySamples())) {
            for (Collector.MetricFamilySamples.Sample sample : family.samples) {
                if (!sample.name.startsWith("cisco_command_runtime") && !sample.name.startsWith("execution_seconds")) {
                    samples.add(sample.name + sample.labelNames + sample.labelValues + " " + sample.value);
                }
            }
        }
        return List.copyOf(new TreeSet<>(samples));
    }

    static SnmpSettings v3(String user, SnmpSettings.AuthProtocol auth, SnmpSettings.PrivProtocol priv) {
        return new SnmpSettings(SnmpSettings.Version.V3, null, new SnmpSettings.V3(user, auth, Snmpd.AUTH_PASSWORD, priv,
                priv == null ? null : Snmpd.PRIV_PASSWORD), Duration.ofSeconds(10), 2);
    }

    static List<Run> runs() {
        List<Run> runs = new ArrayList<>();
        String[] communities = {"nexus", "router", "ios_2960x", "iosxe_asr920", "nxos_n3k-3064pq", "nxos_n9k-c93180yc-fx3"};
        for (int i = 0; i < PROXIES.size(); i++) {
            String target = PROXIES.get(i).address();
            String community = communities[i % communities.length];
            runs.add(new Run(community + " via " + target, () -> viaExporter("--target", target, "--community", community,
                    "--timeout", "10", "--retries", "2")));
        }
        runs.add(new Run("snmpd v2c", () -> stable(viaExporter("--target", snmpd.address(), "--community", Snmpd.COMMUNITY,
                "--timeout", "10", "--retries", "2"))));
        runs.add(new Run("snmpd v3 SHA+AES", () -> viaSession(v3(Snmpd.USER, SnmpSettings.AuthProtocol.SHA,
                SnmpSettings.PrivProtocol.AES))));
        runs.add(new Run("snmpd v3 SHA-256", () -> viaSession(v3(Snmpd.SHA256_USER, SnmpSettings.AuthProtocol.SHA256, null))));
        runs.add(new Run("snmpd v3 MD5+DES", () -> viaSession(v3(Snmpd.MD5_DES_USER, SnmpSettings.AuthProtocol.MD5,
                SnmpSettings.PrivProtocol.DES))));
        runs.add(new Run("snmpd v3 SHA-256+AES", () -> viaSession(v3(Snmpd.SHA256_AES_USER, SnmpSettings.AuthProtocol.SHA256,
                SnmpSettings.PrivProtocol.AES))));
        return runs;
    }

    @Test
    void sixteen_runs_at_once_in_one_jvm_each_give_exactly_their_own_result() throws Exception {
        List<Run> runs = runs();
        assertEquals(16, runs.size());
        List<List<String>> alone = new ArrayList<>();
        for (Run run : runs) {
            List<String> result = run.body().call();
            assertTrue(result.size() > 1, run.name() + ": " + result);
            alone.add(result);
        }
        ExecutorService threads = Executors.newFixedThreadPool(runs.size());
        try {
            for (int round = 0; round < ROUNDS; round++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<List<String>>> results = new ArrayList<>();
                for (Run run : runs) {
                    results.add(threads.submit(() -> {
                        go.await();
                        return run.body().call();
                    }));
                }
                go.countDown();
                for (int i = 0; i < runs.size(); i++) {
                    assertEquals(alone.get(i), results.get(i).get(120, TimeUnit.SECONDS),
                            "round " + round + ": " + runs.get(i).name());
                }
            }
        } finally {
            threads.shutdownNow();
        }
        assertTrue(SnmpEngine.kept() <= SnmpEngine.KEPT, "kept " + SnmpEngine.kept());
    }
}
