import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Scaling out" recipe with real parts on loopback: two server replicas with one configuration file
 * behind a round-robin TCP balancer (a Service in miniature), and two real Prometheus shards, each discovering every
 * target from /discovery and keeping those whose hashmod of __param_target is its own number.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutTest {
    static final int SHARDS = 2;
    static final List<String> TARGETS = IntStream.rangeClosed(1, 20).mapToObj(i -> String.format("sw%02d.dc1", i)).toList();

    @TempDir
    static Path dir;
    static final List<ServerProcess> replicas = new ArrayList<>();
    static final List<Prometheus> shards = new ArrayList<>();
    static TcpBalancer service;

    static String configFile() {
        return String.join("\n",
                "exporters:",
                "  noop:",
                "    allow_query_options: [target]",
                "    allowed_targets: [discovery]",
                "    targets: [" + String.join(", ", TARGETS) + "]",
                "");
    }

    /** Shard {@code shard} of {@code SHARDS}: every target from /discovery, through the balancer; its own share. */
    static String prometheusConfig(int shard) {
        return String.join("\n",
                "global:",
                "  scrape_interval: 2s",
                "  scrape_timeout: 2s",
                "scrape_configs:",
                "  - job_name: exporters",
                "    http_sd_configs:",
                "      - url: http://127.0.0.1:" + service.port() + "/discovery",
                "        refresh_interval: 5s",
                "    relabel_configs:",
                "      - source_labels: [__param_target]",
                "        modulus: " + SHARDS,
                "        target_label: __tmp_hash",
                "        action: hashmod",
                "      - source_labels: [__tmp_hash]",
                "        regex: '" + shard + "'",
                "        action: keep",
                "");
    }

    /** Prometheus's hashmod: the MD5 of the value, its last 8 bytes as an unsigned big-endian number, modulo N. */
    static int hashmod(String value, int modulus) {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(value.getBytes(StandardCharsets.UTF_8));
            long low = ByteBuffer.wrap(md5, 8, 8).getLong();
            return new BigInteger(Long.toUnsignedString(low)).mod(BigInteger.valueOf(modulus)).intValueExact();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Path config = Files.writeString(dir.resolve("metrics.yml"), configFile());
        for (int i = 0; i < 2; i++) {
            ServerProcess replica = ServerProcess.start(Files.createDirectories(dir.resolve("replica-" + i)), Map.of(),
                    "--config.file=" + config);
            replicas.add(replica);
            replica.awaitBuilt();
            // a warm worker before Prometheus comes: its 2 s scrape timeout leaves 1.5 s to a run
            assertEquals(200, replica.get("/metrics/noop?target=" + TARGETS.get(0)).statusCode(), replica.log());
        }
        service = TcpBalancer.start(replicas.stream().map(r -> r.port).toList());
        for (int shard = 0; shard < SHARDS; shard++) {
            shards.add(Prometheus.start(Files.createDirectories(dir.resolve("shard-" + shard)), prometheusConfig(shard)));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (Prometheus shard : shards) {
            shard.close();
        }
        if (service != null) {
            service.close();
        }
        for (ServerProcess replica : replicas) {
            replica.close();
        }
    }

    /** Per shard, the targets whose latest scrape was up (value 1) and taken after {@code afterSeconds}. */
    static List<Set<String>> upTargets(double afterSeconds) throws Exception {
        List<Set<String>> result = new ArrayList<>();
        for (Prometheus shard : shards) {
            Set<String> up = new TreeSet<>();
            // timestamp() of a selector is the time of the scrape; of any other expression, the time of the query
            for (JsonElement sample : shard.query("up{job=\"exporters\"} == 1 and on(instance) timestamp(up{job=\"exporters\"}) > "
                    + String.format(java.util.Locale.ROOT, "%.3f", afterSeconds))) {
                up.add(sample.getAsJsonObject().getAsJsonObject("metric").get("instance").getAsString());
            }
            result.add(up);
        }
        return result;
    }

    /** Waits (up to 90 s) until the shards together report every target up since {@code afterSeconds}. */
    static List<Set<String>> awaitAllUp(double afterSeconds) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            List<Set<String>> up = upTargets(afterSeconds);
            Set<String> all = new TreeSet<>();
            up.forEach(all::addAll);
            if (all.containsAll(TARGETS)) {
                return up;
            }
            if (System.nanoTime() > deadline) {
                StringBuilder why = new StringBuilder("not every target up within 90 s: " + up + "\nbalancer "
                        + service.connectionsPerBackend());
                for (Prometheus shard : shards) {
                    why.append("\n--- shard targets: ").append(shard.targets());
                }
                return fail(why.toString());
            }
            Thread.sleep(1000);
        }
    }

    @Test
    @Order(1)
    void every_target_is_scraped_by_exactly_one_shard_as_hashmod_assigns_it_and_is_up() throws Exception {
        List<Set<String>> up = awaitAllUp(0);
        Map<Integer, Set<String>> expected = new TreeMap<>();
        for (String target : TARGETS) {
            expected.computeIfAbsent(hashmod(target, SHARDS), k -> new TreeSet<>()).add(target);
        }
        for (int shard = 0; shard < SHARDS; shard++) {
            assertEquals(expected.get(shard), up.get(shard), "targets of shard " + shard);
            // scraped as it discovered them: the noop exporter echoes ?target= as a label, and only this shard has it
            JsonArray noop = shards.get(shard).query("noop_up");
            Set<String> echoed = new TreeSet<>();
            noop.forEach(s -> echoed.add(s.getAsJsonObject().getAsJsonObject("metric").get("target").getAsString()));
            assertEquals(expected.get(shard), echoed, "noop_up{target} on shard " + shard);
            // and nothing else: the keep rule dropped the other shard's targets
            assertEquals(expected.get(shard).size(), shards.get(shard).query("up{job=\"exporters\"}").size());
        }
        int smaller = Math.min(up.get(0).size(), up.get(1).size());
        assertTrue(smaller >= TARGETS.size() / 4, "a reasonably even split of " + TARGETS.size() + ": " + up.get(0).size()
                + " and " + up.get(1).size());
        System.out.println("ScaleOutTest: shard sizes " + up.get(0).size() + " and " + up.get(1).size()
                + "; connections per replica " + service.connectionsPerBackend());
    }

    @Test
    @Order(2)
    void when_a_replica_stops_the_other_serves_every_target_of_both_shards() throws Exception {
        awaitAllUp(0);
        ServerProcess leaving = replicas.get(0);
        ServerProcess staying = replicas.get(1);
        double before = Samples.value(staying.get("/metrics").body(), "server_exporter_requests_total{path=\"/metrics/noop\",status=\"200\"}");
        assertEquals(0, leaving.terminate(), "a graceful stop on SIGTERM");
        double stoppedAt = System.currentTimeMillis() / 1000.0;
        List<Set<String>> up = awaitAllUp(stoppedAt + 1);
        assertEquals(TARGETS.size(), up.get(0).size() + up.get(1).size(), "each target once: " + up);
        double after = Samples.value(staying.get("/metrics").body(), "server_exporter_requests_total{path=\"/metrics/noop\",status=\"200\"}");
        assertTrue(after - before >= TARGETS.size(), "the staying replica served every target since: " + before + " -> "
                + after);
    }
}
