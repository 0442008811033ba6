import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run engine with real worker JVMs (the fixture exporters compiled into this suite): concurrent runs that do
 * not mix, deadlines kept whatever happens, admission, builds, and workers replaced when they misbehave.
 */
class SchedulerTest {
    @TempDir
    Path dir;

    static RunResult.Finished finished(RunResult result) {
        return assertInstanceOf(RunResult.Finished.class, result, String.valueOf(result));
    }

    static double pid(RunResult result, String metric) {
        return Samples.value(finished(result).metrics(), metric);
    }

    @Test
    void sixty_four_concurrent_runs_each_answer_exactly_their_own() throws Exception {
        try (Engine engine = Engine.start(dir, Map.of())) {
            engine.run("misbehave", 30_000, "--target=warm-up");
            List<CompletableFuture<RunResult>> runs = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long start = System.nanoTime();
            for (int i = 0; i < 64; i++) {
                runs.add(engine.submit("misbehave", List.of("--target=t" + i, "--sleep-ms=1000"), deadline));
            }
            Set<Double> pids = new HashSet<>();
            for (int i = 0; i < 64; i++) {
                RunResult.Finished run = finished(runs.get(i).get(30, TimeUnit.SECONDS));
                assertEquals(0, run.exitCode(), run.stderr());
                assertEquals("stdout of t" + i + "\n", run.stdout());
                assertEquals("stderr of t" + i + "\n", run.stderr());
                assertTrue(run.metrics().contains("misbehave_up{target=\"t" + i + "\"} 1.0"), run.metrics());
                assertEquals(1, run.metrics().lines().filter(l -> l.startsWith("misbehave_up{")).count(), run.metrics());
                pids.add(Samples.value(run.metrics(), "misbehave_pid"));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 10, "64 runs of 1 s each, at once, took " + seconds + " s");
            assertTrue(pids.size() <= 2, "more worker JVMs than WORKERS (2): " + pids);
        }
    }

    @Test
    void a_run_past_its_deadline_is_answered_on_time_while_the_same_workers_other_runs_finish() throws Exception {
        try (Engine engine = Engine.start(dir, Map.of("WORKERS", "1"))) {
            double worker = pid(engine.run("misbehave", 30_000), "misbehave_pid");
            long now = System.nanoTime();
            CompletableFuture<RunResult> late = engine.submit("misbehave", List.of("--sleep-ms=60000"),
                    now + TimeUnit.MILLISECONDS.toNanos(800));
            CompletableFuture<RunResult> onTime = engine.submit("misbehave", List.of("--sleep-ms=1500",
                    "--target=on-time"), now + TimeUnit.SECONDS.toNanos(20));
            RunResult lateResult = late.get(10, TimeUnit.SECONDS);
            double answeredAfter = (System.nanoTime() - now) / 1e9;
            assertInstanceOf(RunResult.TimedOut.class, lateResult);
            assertTrue(answeredAfter >= 0.75 && answeredAfter < 1.3, "answered after " + answeredAfter + " s");
            RunResult.Finished other = finished(onTime.get(20, TimeUnit.SECONDS));
            assertEquals(0, other.exitCode(), other.stderr());
            assertEquals(worker, Samples.value(other.metrics(), "misbehave_pid"), "the same worker ran both");
            assertEquals(worker, pid(engine.run("misbehave", 30_000), "misbehave_pid"),
                    "a run that stops when interrupted costs its worker nothing");
        }
    }

    @Test
    void a_worker_that_ignores_interruption_is_replaced_without_failing_runs_that_finish_in_time() throws Exception {
        try (Engine engine = Engine.start(dir, Map.of("WORKERS", "1"))) {
            double first = pid(engine.run("misbehave", 30_000), "misbehave_pid");
            long now = System.nanoTime();
            CompletableFuture<RunResult> stubborn = engine.submit("misbehave",
                    List.of("--ignore-interrupts-ms=60000"), now + TimeUnit.MILLISECONDS.toNanos(500));
            CompletableFuture<RunResult> finishing = engine.submit("misbehave",
                    List.of("--sleep-ms=4000", "--target=finishing"), now + TimeUnit.SECONDS.toNanos(30));
            assertInstanceOf(RunResult.TimedOut.class, stubborn.get(10, TimeUnit.SECONDS));
            Thread.sleep(2500); // past the grace period: the worker takes no more runs
            double replacement = pid(engine.run("misbehave", 30_000, "--target=after"), "misbehave_pid");
            assertNotEquals(first, replacement, "a new worker takes the runs that come after");
            RunResult.Finished finished = finished(finishing.get(30, TimeUnit.SECONDS));
            assertEquals(0, finished.exitCode(), finished.stderr());
            assertEquals(first, Samples.value(finished.metrics(), "misbehave_pid"), "the drained worker finished it");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ProcessHandle.of((long) first).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertFalse(ProcessHandle.of((long) first).map(ProcessHandle::isAlive).orElse(false),
                    "the stuck worker was not killed once its other run ended");
            assertEquals(1, Samples.value(engine.metricsText(),
                    "server_worker_restarts_total{path=\"/metrics/misbehave\",module=\"\",reason=\"deadline\"}"));
        }
    }

    @Test
    void an_exporter_that_is_not_thread_safe_never_runs_twice_at_once_in_one_jvm() throws Exception {
        try (Engine engine = Engine.start(dir, Map.of("WORKERS", "2"))) {
            List<CompletableFuture<RunResult>> runs = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            for (int i = 0; i < 12; i++) {
                runs.add(engine.submit("unsafe", List.of("--sleep-ms=200"), deadline));
            }
            Set<Double> pids = new HashSet<>();
            for (CompletableFuture<RunResult> run : runs) {
                RunResult.Finished result = finished(run.get(40, TimeUnit.SECONDS));
                assertEquals(1, Samples.value(result.metrics(), "unsafe_runs_at_once"), result.metrics());
                pids.add(Samples.value(result.metrics(), "unsafe_pid"));
            }
            assertEquals(2, pids.size(), "both workers served: " + pids);
        }
    }

    @Test
    void past_the_in_flight_limit_a_request_gets_503_at_once() throws Exception {
        try (Engine engine = Engine.start(dir, Map.of("MAX_CONCURRENT_RUNS", "3"))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<CompletableFuture<RunResult>> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                held.add(engine.submit("misbehave", List.of("--sleep-ms=2000"), deadline));
            }
            CompletableFuture<RunResult> refused = engine.submit("noop", List.of(), deadline);
            assertTrue(refused.isDone(), "refused at once, not after waiting");
            assertEquals(new RunResult.Overloaded(3), refused.get());
            assertEquals(3, Samples.value(engine.metricsText(), "server_runs_in_flight"));
            for (CompletableFuture<RunResult> run : held) {
                assertEquals(0, finished(run.get(30, TimeUnit.SECONDS)).exitCode());
            }
            assertEquals(0, finished(engine.run("noop", 30_000)).exitCode(), "places come back when runs end");
            assertEquals(0, Samples.value(engine.metricsText(), "server_runs_in_flight"));
        }
    }

    @Test
    void a_request_during_a_build_is_answered_by_its_deadline_and_the_build_goes_on() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Builds.Builder slow = (source, progress) -> {
            release.await();
            return Engine.fromClasspath(source, progress);
        };
        try (Engine engine = Engine.start(dir, Map.of(), slow)) {
            long start = System.nanoTime();
            RunResult first = engine.run("noop", 1000);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertInstanceOf(RunResult.StillBuilding.class, first);
            assertTrue(seconds >= 0.95 && seconds < 1.5, "answered after " + seconds + " s, deadline 1 s");
            release.countDown();
            assertEquals(0, finished(engine.run("noop", 30_000)).exitCode());
        }
    }

    @Test
    void a_failed_build_is_reported_on_the_next_request() throws Exception {
        Builds.Builder broken = (source, progress) -> {
            throw new java.io.IOException("noop.java:12: error: ';' expected");
        };
        try (Engine engine = Engine.start(dir, Map.of(), broken)) {
            RunResult result = engine.run("noop", 10_000);
            assertEquals(new RunResult.BuildFailed("noop.java:12: error: ';' expected"), result);
            assertEquals(result, engine.run("noop", 10_000), "the failure is kept until a source changes");
            assertEquals(new RunResult.NotFound("nosuch"), engine.run("nosuch", 10_000));
        }
    }

    @Test
    void a_child_that_inherits_stdout_cannot_scramble_the_protocol() throws Exception {
        try (Engine engine = Engine.start(dir, Map.of("WORKERS", "1"))) {
            for (int i = 0; i < 6; i++) {
                RunResult.Finished run = finished(engine.run("misbehave", 30_000, "--child-inherits", "--target=c" + i));
                assertEquals(0, run.exitCode(), run.stderr());
                assertTrue(run.metrics().contains("misbehave_up{target=\"c" + i + "\"} 1.0"), run.metrics());
            }
        }
    }

    @Test
    void a_flood_of_stdout_is_cut_and_hurts_no_other_run() throws Exception {
        try (Engine engine = Engine.start(dir, Map.of())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            CompletableFuture<RunResult> flood = engine.submit("misbehave", List.of("--stdout-mb=300"), deadline);
            List<CompletableFuture<RunResult>> others = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                others.add(engine.submit("noop", List.of("--target=n" + i), deadline));
            }
            for (CompletableFuture<RunResult> other : others) {
                assertEquals(0, finished(other.get(60, TimeUnit.SECONDS)).exitCode());
            }
            RunResult.Finished flooded = finished(flood.get(60, TimeUnit.SECONDS));
            assertEquals(0, flooded.exitCode(), flooded.stderr());
            assertTrue(flooded.stdout().length() <= WorkerProtocol.MAX_CAPTURE + 100, "kept " + flooded.stdout().length());
            assertTrue(flooded.stdout().endsWith(" more bytes cut]\n"), flooded.stdout().substring(flooded.stdout().length() - 80));
        }
    }

    @Test
    void a_thread_that_calls_system_exit_later_is_not_billed_to_a_later_run() throws Exception {
        try (Engine engine = Engine.start(dir, Map.of("WORKERS", "1"))) {
            RunResult.Finished leaves = finished(engine.run("misbehave", 30_000, "--exit-later-ms=1500"));
            assertEquals(0, leaves.exitCode(), leaves.stderr());
            double leaver = Samples.value(leaves.metrics(), "misbehave_pid");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            while (System.nanoTime() < until) {
                RunResult.Finished later = finished(engine.run("misbehave", 30_000, "--sleep-ms=100"));
                assertEquals(0, later.exitCode(), "a later run failed: " + later.stderr());
                if (Samples.value(later.metrics(), "misbehave_pid") == leaver) {
                    assertTrue(System.nanoTime() < until - TimeUnit.MILLISECONDS.toNanos(2400),
                            "the worker with a leftover thread still took runs");
                }
            }
            assertEquals(1, Samples.value(engine.metricsText(),
                    "server_worker_restarts_total{path=\"/metrics/misbehave\",module=\"\",reason=\"leftovers\"}"));
        }
    }

    @Test
    void system_exit_fails_its_run_with_its_code_and_output_and_a_new_worker_takes_over() throws Exception {
        try (Engine engine = Engine.start(dir, Map.of())) {
            double before = pid(engine.run("exits", 30_000), "exits_pid");
            RunResult.Finished crash = finished(engine.run("exits", 30_000, "--code=3"));
            assertEquals(3, crash.exitCode());
            assertTrue(crash.stderr().contains("about to exit with 3"), crash.stderr());
            assertTrue(crash.stderr().contains("ended (exit 3)"), crash.stderr());
            assertNotEquals(before, pid(engine.run("exits", 30_000), "exits_pid"));
            RunResult.Finished zero = finished(engine.run("exits", 30_000, "--code=0"));
            assertEquals(0, zero.exitCode());
            assertEquals(null, zero.metrics(), "exit 0 without metrics gathered");
            assertEquals(2, Samples.value(engine.metricsText(),
                    "server_worker_restarts_total{path=\"/metrics/exits\",module=\"\",reason=\"crashed\"}"));
        }
    }

    @Test
    void a_worker_killed_from_outside_is_explained_and_replaced() throws Exception {
        try (Engine engine = Engine.start(dir, Map.of("WORKERS", "1"))) {
            double worker = pid(engine.run("misbehave", 30_000), "misbehave_pid");
            CompletableFuture<RunResult> running = engine.submit("misbehave", List.of("--sleep-ms=5000"),
                    System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
            Thread.sleep(500);
            ProcessHandle.of((long) worker).orElseThrow().destroyForcibly();
            RunResult.Finished killed = finished(running.get(10, TimeUnit.SECONDS));
            assertEquals(1, killed.exitCode());
            assertTrue(killed.stderr().contains("killed by signal 9"), killed.stderr());
            assertNotEquals(worker, pid(engine.run("misbehave", 30_000), "misbehave_pid"));
        }
    }

    @Test
    void workers_are_replaced_after_max_runs_and_past_the_memory_limit() throws Exception {
        try (Engine engine = Engine.start(dir, Map.of("WORKER_MAX_RUNS", "3", "WORKERS", "1"))) {
            double[] pids = new double[4];
            for (int i = 0; i < 4; i++) {
                pids[i] = pid(engine.run("misbehave", 30_000), "misbehave_pid");
            }
            assertEquals(pids[0], pids[2]);
            assertNotEquals(pids[2], pids[3], "the fourth run should get a new worker");
            assertEquals(1, Samples.value(engine.metricsText(),
                    "server_worker_restarts_total{path=\"/metrics/misbehave\",module=\"\",reason=\"max_runs\"}"));
        }
        try (Engine engine = Engine.start(dir, Map.of("WORKER_MAX_MB", "32"))) {
            double first = pid(engine.run("misbehave", 30_000), "misbehave_pid");
            assertNotEquals(first, pid(engine.run("misbehave", 30_000), "misbehave_pid"));
            assertTrue(Samples.value(engine.metricsText(),
                    "server_worker_restarts_total{path=\"/metrics/misbehave\",module=\"\",reason=\"memory\"}") >= 1);
        }
    }

    @Test
    void fresh_runs_each_get_a_jvm_and_what_they_leave_running_is_killed() throws Exception {
        try (Engine engine = Engine.start(dir, Map.of("EXPORTER_MODES", "misbehave=fresh"))) {
            double first = pid(engine.run("misbehave", 30_000), "misbehave_pid");
            assertNotEquals(first, pid(engine.run("misbehave", 30_000), "misbehave_pid"), "fresh: a JVM per run");
            String marker = Long.toString(System.nanoTime());
            assertEquals(0, finished(engine.run("orphan", 30_000, "--marker=" + marker)).exitCode());
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!ServerProcess.withMarker(marker).isEmpty() && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertEquals(List.of(), ServerProcess.withMarker(marker), "the orphaned child survived");
            assertTrue(Samples.value(engine.metricsText(), "server_exporter_mode{path=\"/metrics/misbehave\",mode=\"fresh\"}") == 1);
        }
    }

    @Test
    void runs_of_other_exporters_are_never_affected() throws Exception {
        try (Engine engine = Engine.start(dir, Map.of("WORKERS", "1"))) {
            engine.run("misbehave", 30_000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            CompletableFuture<RunResult> crash = engine.submit("exits", List.of("--code=9"), deadline);
            CompletableFuture<RunResult> stuck = engine.submit("misbehave", List.of("--ignore-interrupts-ms=3000"),
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300));
            for (int i = 0; i < 5; i++) {
                assertEquals(0, finished(engine.run("noop", 30_000, "--target=x" + i)).exitCode());
            }
            assertEquals(9, finished(crash.get(30, TimeUnit.SECONDS)).exitCode());
            assertInstanceOf(RunResult.TimedOut.class, stuck.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void a_private_directory_removed_from_under_the_server_is_made_again_for_new_workers() throws Exception {
        try (Engine engine = Engine.start(dir, Map.of())) {
            assertEquals(0, finished(engine.run("noop", 30_000)).exitCode());
            Cache.deleteRecursively(dir.resolve("run")); // as a cleaner of old files in /tmp would
            assertEquals(0, finished(engine.run("noop", 30_000)).exitCode(), "a worker already connected carries on");
            RunResult.Finished other = finished(engine.run("misbehave", 30_000));
            assertEquals(0, other.exitCode(), "a new worker connects: " + other.stderr());
            assertTrue(Files.exists(dir.resolve("run/workers.sock")));
        }
    }
}
