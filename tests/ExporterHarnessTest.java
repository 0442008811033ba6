import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.client.Counter;
import io.prometheus.client.CollectorRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Option;

/** The run harness, in process: parsing, fresh registries, timing helpers, output and failures. */
class ExporterHarnessTest {

    /** Counts its runs in a counter that must read 1 every time: a fresh registry per run. */
    static class counting extends Exporter {
        static CollectorRegistry lastRegistry;

        @Option(names = "--label")
        String label = "none";

        @Override
        public void gatherMetrics() throws Exception {
            lastRegistry = metrics;
            Counter.build().name("runs").help("Runs of this instance.").labelNames("label").register(metrics)
                    .labels(label).inc();
            observed("timed_block", () -> Thread.sleep(20));
            try (Observation ignored = observe("other")) {
                Thread.sleep(5);
            }
        }
    }

    static class failing extends Exporter {
        @Override
        public void gatherMetrics() {
            throw new IllegalStateException("the device said no");
        }
    }

    record Run(int exit, String out, String err) {
    }

    static Run run(Exporter exporter, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = RunHarness.run(exporter, args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void many_runs_in_one_jvm_give_clean_independent_results() {
        CollectorRegistry previous = null;
        for (int i = 0; i < 5; i++) {
            Run run = run(new counting(), "--label", "run" + i);
            assertEquals(0, run.exit(), run.err());
            assertTrue(run.out().contains("runs_total{label=\"run" + i + "\"} 1.0"), run.out());
            assertFalse(run.out().contains("run" + (i - 1) + "\""), "a previous run leaked into this one:\n" + run.out());
            assertTrue(run.out().contains("execution_seconds_count{function=\"counting.timed_block\"} 1.0"), run.out());
            assertEquals(1.0, counting.lastRegistry.getSampleValue("runs_total", new String[] {"label"},
                    new String[] {"run" + i}));
            assertFalse(counting.lastRegistry == previous, "the registry was reused");
            assertFalse(counting.lastRegistry == CollectorRegistry.defaultRegistry);
            previous = counting.lastRegistry;
        }
    }

    @Test
    void runs_on_parallel_threads_do_not_mix() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Run>> runs = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String label = "t" + i;
                runs.add(pool.submit(() -> run(new counting(), "--label", label)));
            }
            for (int i = 0; i < runs.size(); i++) {
                Run run = runs.get(i).get();
                assertEquals(0, run.exit(), run.err());
                List<String> series = run.out().lines().filter(l -> l.startsWith("runs_total")).collect(Collectors.toList());
                assertEquals(List.of("runs_total{label=\"t" + i + "\"} 1.0"), series);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void exposition_has_no_created_series_and_durations_are_rounded_to_milliseconds() {
        Run run = run(new counting());
        assertFalse(run.out().contains("_created"), run.out());
        String sum = run.out().lines().filter(l -> l.startsWith("execution_seconds_sum{function=\"counting.timed_block\""))
                .findFirst().orElseThrow();
        double seconds = Double.parseDouble(sum.substring(sum.lastIndexOf(' ') + 1));
        assertTrue(seconds >= 0.02 && seconds < 1, sum);
        assertEquals(seconds, Math.round(seconds * 1000) / 1000.0, 0.0, "not rounded to ms: " + sum);
        assertTrue(run.out().contains("# HELP execution_seconds Summary of time spent executing something"));
        assertTrue(run.out().contains("# TYPE execution_seconds summary"));
        Promtool.assertParses(run.out());
    }

    @Test
    void timer_measures_and_records_nothing() throws Exception {
        Exporter.Timer timer = Exporter.timer();
        Thread.sleep(15);
        double seconds = timer.seconds();
        assertTrue(seconds >= 0.015 && seconds < 1, "timer said " + seconds);
        assertEquals(0.123, Exporter.millisecondsPrecision(123_456_789L));
    }

    @Test
    void exporter_that_throws_exits_1_with_its_error_and_prints_nothing() {
        Run run = run(new failing());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("failing: error: IllegalStateException: the device said no"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void unknown_exporter_option_is_a_usage_error_naming_it() {
        Run run = run(new counting(), "--colour", "blue");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("Unknown options: '--colour'"), run.err());
    }

    @Test
    void help_shows_the_exporters_own_options() {
        Run run = run(new counting(), "--help");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("--label"), run.out());
        assertTrue(run.out().contains("--pushgateway-address"), run.out());
    }

    @Test
    void output_file_is_written_whole_and_no_temporary_file_is_left(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out.prom");
        Files.writeString(file, "old content");
        Run run = run(new counting(), "--output-filename", file.toString(), "--no-print");
        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.out());
        assertTrue(Files.readString(file).contains("runs_total{label=\"none\"} 1.0"));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.collect(Collectors.toList()));
        }
    }

    @Test
    void output_file_in_a_missing_directory_exits_3_and_still_prints(@TempDir Path dir) {
        Path file = dir.resolve("missing").resolve("out.prom");
        Run run = run(new counting(), "--output-filename", file.toString());
        assertEquals(3, run.exit());
        assertTrue(run.err().contains("cannot write metrics to " + file), run.err());
        assertTrue(run.err().contains("no such directory"), run.err());
        assertTrue(run.out().contains("runs_total"), run.out());
    }

    @Test
    void bad_pushgateway_address_is_a_usage_error() {
        for (String bad : List.of("host:port", "ftp://host:21", "a b:1", "http://", "host:99999")) {
            Run run = run(new counting(), "--pushgateway-address", bad);
            assertEquals(2, run.exit(), bad + ": " + run.err());
            assertTrue(run.err().contains("--pushgateway-address"), run.err());
        }
    }

    @Test
    void pushgateway_address_accepts_host_port_and_urls() throws Exception {
        RunOptions.PushgatewayAddress convert = new RunOptions.PushgatewayAddress();
        assertEquals("http://gw.example:9091", convert.convert("gw.example:9091").toString());
        assertEquals("http://gw.example", convert.convert("gw.example").toString(), "a bare host, as the original: port 80");
        assertEquals("http://[::1]:9091", convert.convert("[::1]:9091").toString());
        assertEquals("https://gw.example/base", convert.convert("https://gw.example/base").toString());
    }

    @Test
    void grouping_key_needs_a_valid_name_and_a_pushgateway() {
        Run badName = run(new counting(), "--pushgateway-address", "127.0.0.1:1", "--grouping-key", "bad-name=x");
        assertEquals(2, badName.exit());
        assertTrue(badName.err().contains("Invalid --grouping-key 'bad-name'"), badName.err());
        Run noGateway = run(new counting(), "--grouping-key", "instance=x");
        assertEquals(2, noGateway.exit());
        assertTrue(noGateway.err().contains("--grouping-key needs --pushgateway-address"), noGateway.err());
    }

    @Test
    void default_job_name_is_the_exporters_name() {
        assertEquals("counting", new counting().jobName());
        assertNull(new counting().runOptions.pushgateway);
    }

    @Test
    void label_sets_are_written_as_the_original_wrote_them() {
        Run run = run(new counting(), "--label", "a\"b\\c\nd");
        assertTrue(run.out().contains("runs_total{label=\"a\\\"b\\\\c\\nd\"} 1.0\n"), run.out());
        assertFalse(run.out().contains(",}"), run.out());
        Promtool.assertParses(run.out());
    }

    @Test
    void values_are_written_as_the_original_wrote_them() {
        // what the original's client (Python prometheus_client 0.16, floatToGoString) printed for each
        String[][] cases = {
            {"0.0", "0.0"}, {"-0.0", "-0.0"}, {"1.0", "1.0"}, {"0.55", "0.55"}, {"999999.0", "999999.0"},
            {"1000000.0", "1e+06"}, {"1234567.0", "1.234567e+06"}, {"2769287962.0", "2.769287962e+09"},
            {"2.000304E10", "2.000304e+010"}, {"9.5043347853284E13", "9.5043347853284e+013"}, {"1.0E15", "1e+015"},
            {"1.0E16", "1e+16"}, {"1.8446744073709552E19", "1.8446744073709552e+19"},
            {"-2769287962.0", "-2769287962.0"}, {"1.0E-4", "0.0001"}, {"1.0E-5", "1e-05"}, {"1.5E-7", "1.5e-07"},
            {"-1.0E-5", "-1e-05"}, {"19632.13", "19632.13"}, {"0.30000000000000004", "0.30000000000000004"},
            {"1.23456789E7", "1.23456789e+07"}, {"4.9E-324", "5e-324"}, {"1.0E300", "1e+300"}, {"2.82879384806159E17", "2.82879384806159e+17"},
            {"12345.5", "12345.5"}, {"-123.0", "-123.0"}, {"100.0", "100.0"}, {"9.007199254740992E15", "9.007199254740992e+015"},
            {"Infinity", "+Inf"}, {"-Infinity", "-Inf"}, {"NaN", "NaN"},
        };
        StringBuilder text = new StringBuilder();
        for (String[] c : cases) {
            assertEquals(c[1], Exposition.value(Double.parseDouble(c[0])), c[0]);
            text.append("a_value ").append(c[1]).append('\n');
        }
        Promtool.assertParses("# TYPE a_value untyped\n" + text);
    }

    @Test
    void output_filename_naming_a_directory_exits_3_and_leaves_the_directory(@TempDir Path dir) throws Exception {
        Path directory = Files.createDirectories(dir.resolve("metrics.prom"));
        Run run = run(new counting(), "--output-filename", directory.toString());
        assertEquals(3, run.exit(), run.err());
        assertTrue(run.err().contains(directory + " is a directory"), run.err());
        assertTrue(Files.isDirectory(directory), "the directory was replaced");
        try (var left = Files.list(dir)) {
            assertEquals(List.of(directory), left.collect(Collectors.toList()), "a temporary file was left");
        }
        assertTrue(run.out().contains("runs_total"), "still printed: " + run.out());
    }

    @Test
    void a_run_for_the_server_gathers_only_and_refuses_help() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        RunHarness.Gathered gathered = RunHarness.gather(new counting(), new String[] {"--label=x"}, System.out, errStream);
        assertEquals(0, gathered.exitCode());
        assertTrue(gathered.metrics().contains("runs_total{label=\"x\"} 1.0"), gathered.metrics());
        RunHarness.Gathered help = RunHarness.gather(new counting(), new String[] {"-h"}, System.out, errStream);
        assertEquals(2, help.exitCode());
        assertNull(help.metrics());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("help is for the command line"), err.toString());
    }
}
