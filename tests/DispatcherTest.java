import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code ./jbang metrics} command, end to end. */
class DispatcherTest {

    /** An exporter in a directory of its own, found through METRICS_EXPORTERS. */
    static Path writeExporter(Path dir, String name, String body) throws Exception {
        Path source = dir.resolve(name + ".java");
        Files.createDirectories(dir);
        Files.writeString(source, "//SOURCES " + Project.root().resolve("exporters/Exporter.java") + "\n"
                + "public class " + name + " extends Exporter {\n"
                + "    public static void main(String[] args) { System.exit(Exporter.run(new " + name + "(), args)); }\n"
                + "    @Override public void gatherMetrics() throws Exception {\n" + body + "\n    }\n}\n");
        return source;
    }

    @Test
    void dummy_prints_the_originals_metrics() {
        Commands.Result result = Commands.jbang("metrics", "--exporter", "dummy");
        assertEquals(0, result.exit(), result.describe());
        String out = result.out();
        for (String line : List.of(
                "# HELP execution_seconds Summary of time spent executing something",
                "# TYPE execution_seconds summary",
                "execution_seconds_count{function=\"dummy.my_custom_task\"} 1.0",
                "execution_seconds_count{function=\"dummy.observed_function\"} 1.0",
                "# HELP dummy_gauge A dummy metric, means nothing.",
                "# TYPE dummy_gauge gauge",
                "dummy_gauge 0.0",
                "# HELP dummy_counter_total A dummy metric, means nothing.",
                "# TYPE dummy_counter_total counter",
                "dummy_counter_total{dummy_label=\"dummy_label_value\"} 1.0",
                "# HELP generic_timer_seconds_total Value of generic timer",
                "# TYPE generic_timer_seconds_total counter")) {
            assertTrue(out.lines().anyMatch(line::equals), "missing line: " + line + "\n" + out);
        }
        assertFalse(out.contains("_created"), out);
        assertEquals(List.of("dummy_counter_total", "dummy_gauge", "execution_seconds", "generic_timer_seconds_total"),
                out.lines().filter(l -> l.startsWith("# TYPE ")).map(l -> l.split(" ")[2]).toList(), "families by name");
        assertTrue(value(out, "execution_seconds_sum{function=\"dummy.observed_function\"}") >= 1.0);
        double task = value(out, "execution_seconds_sum{function=\"dummy.my_custom_task\"}");
        assertTrue(task >= 0.55 && task < 1.5, out);
        double timer = value(out, "generic_timer_seconds_total");
        assertTrue(timer >= 0.25 && timer < 1.2, out);
        Promtool.assertParses(out);
    }

    static double value(String exposition, String series) {
        return exposition.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .orElseThrow(() -> new AssertionError("no series " + series + " in\n" + exposition));
    }

    @Test
    void exporter_runs_standalone_too() {
        Commands.Result result = Commands.jbang("exporters/noop.java", "--target", "alone");
        assertEquals(0, result.exit(), result.describe());
        assertTrue(result.out().contains("noop_up{target=\"alone\"} 1.0"), result.describe());
    }

    @Test
    void unknown_exporter_exits_255_and_says_where_it_looked() {
        Commands.Result result = Commands.jbang("metrics", "--exporter", "nosuch");
        assertEquals(255, result.exit(), result.describe());
        assertTrue(result.err().contains("exporter 'nosuch' not found"), result.describe());
        assertTrue(result.err().contains(Project.root().resolve("exporters/nosuch.java").toString()), result.describe());
        assertTrue(result.err().contains(Project.root().resolve("exporters/nosuch/nosuch.java").toString()), result.describe());
        assertEquals("", result.out());
    }

    @Test
    void bad_exporter_name_is_a_usage_error() {
        for (String bad : List.of("../x", "exporters/noop", "x%00", "..")) {
            Commands.Result result = Commands.jbang("metrics", "--exporter", bad);
            assertEquals(2, result.exit(), result.describe());
            assertTrue(result.err().contains("Invalid exporter name '" + bad + "'"), result.describe());
        }
    }

    @Test
    void missing_exporter_option_is_a_usage_error() {
        Commands.Result result = Commands.jbang("metrics", "--no-print");
        assertEquals(2, result.exit(), result.describe());
        assertTrue(result.err().contains("--exporter"), result.describe());
    }

    @Test
    void unknown_exporter_option_is_a_usage_error_naming_it() {
        Commands.Result result = Commands.jbang("metrics", "--exporter", "noop", "--colour", "blue");
        assertEquals(2, result.exit(), result.describe());
        assertTrue(result.err().contains("Unknown options: '--colour'"), result.describe());
    }

    @Test
    void help_lists_the_dispatchers_flags_and_exporter_help_the_exporters() {
        Commands.Result help = Commands.jbang("metrics", "--help");
        assertEquals(0, help.exit(), help.describe());
        for (String flag : List.of("--exporter", "--pushgateway-address", "--output-filename", "--no-print", "--debug",
                "--grouping-key")) {
            assertTrue(help.out().contains(flag), "no " + flag + " in\n" + help.out());
        }
        Commands.Result exporterHelp = Commands.jbang("metrics", "--exporter", "noop", "--help");
        assertEquals(0, exporterHelp.exit(), exporterHelp.describe());
        assertTrue(exporterHelp.out().contains("--target"), exporterHelp.describe());
    }

    @Test
    void arguments_reach_the_exporter_in_order_and_output_file_is_written(@TempDir Path dir) throws Exception {
        writeExporter(dir, "ordered", "for (int i = 0; i < items.size(); i++) {\n"
                + "  io.prometheus.client.Gauge.build().name(\"item_\" + i).help(\"h\").labelNames(\"value\")"
                + ".register(metrics).labels(items.get(i)).set(i);\n}\n}\n"
                + "@picocli.CommandLine.Option(names = \"--item\") java.util.List<String> items = new java.util.ArrayList<>();\n"
                + "void unused() {");
        Path file = dir.resolve("ordered.prom");
        Commands.Result result = Commands.jbang(Project.root(), Map.of("METRICS_EXPORTERS", dir.toString()),
                "metrics", "--no-print", "--item", "first", "--exporter", "ordered", "--output-filename", file.toString(),
                "--item", "second", "--item=third");
        assertEquals(0, result.exit(), result.describe());
        assertEquals("", result.out());
        String written = Files.readString(file);
        assertTrue(written.contains("item_0{value=\"first\"} 0.0"), written);
        assertTrue(written.contains("item_1{value=\"second\"} 1.0"), written);
        assertTrue(written.contains("item_2{value=\"third\"} 2.0"), written);
    }

    @Test
    void exporter_that_throws_exits_1_with_its_error(@TempDir Path dir) throws Exception {
        writeExporter(dir, "throwing", "throw new java.io.IOException(\"no route to core-sw01\");");
        Commands.Result result = Commands.jbang(Project.root(), Map.of("METRICS_EXPORTERS", dir.toString()),
                "metrics", "--exporter", "throwing");
        assertEquals(1, result.exit(), result.describe());
        assertTrue(result.err().contains("throwing: error: IOException: no route to core-sw01"), result.describe());
    }

    @Test
    void run_and_exit_ends_the_jvm_even_when_the_exporter_left_a_thread_running(@TempDir Path dir) throws Exception {
        // runAndExit lets main return only when nothing would keep the JVM alive; here a thread would
        Files.writeString(dir.resolve("lingering.java"), "//SOURCES " + Project.root().resolve("exporters/Exporter.java") + "\n"
                + "public class lingering extends Exporter {\n"
                + "    public static void main(String[] args) { Exporter.runAndExit(new lingering(), args); }\n"
                + "    @Override public void gatherMetrics() {\n"
                + "        Thread sleeper = new Thread(() -> { try { Thread.sleep(600_000); } catch (InterruptedException e) { } });\n"
                + "        sleeper.start();\n"
                + "        io.prometheus.client.Gauge.build().name(\"lingering_up\").help(\"h\").register(metrics).set(1);\n"
                + "    }\n}\n");
        Commands.Result inDispatcher = Commands.jbang(Project.root(), Map.of("METRICS_EXPORTERS", dir.toString()),
                "metrics", "--exporter", "lingering");
        assertEquals(0, inDispatcher.exit(), inDispatcher.describe());
        assertTrue(inDispatcher.out().contains("lingering_up 1.0"), inDispatcher.describe());
        Commands.Result alone = Commands.jbang(dir, Map.of(), dir.resolve("lingering.java").toString());
        assertEquals(0, alone.exit(), alone.describe());
        assertTrue(alone.out().contains("lingering_up 1.0"), alone.describe());
    }

    @Test
    void exporter_in_its_own_folder_is_found_and_env_path_comes_first(@TempDir Path dir) throws Exception {
        writeExporter(dir.resolve("noop"), "noop", "io.prometheus.client.Gauge.build().name(\"shadow\").help(\"h\")"
                + ".register(metrics).set(7);");
        Commands.Result result = Commands.jbang(Project.root(), Map.of("METRICS_EXPORTERS", dir.toString()),
                "metrics", "--exporter", "noop");
        assertEquals(0, result.exit(), result.describe());
        assertTrue(result.out().contains("shadow 7.0"), result.describe());
    }

    @Test
    void the_first_run_of_an_exporter_says_it_is_being_built_and_later_runs_say_nothing(@TempDir Path dir) throws Exception {
        Path source = writeExporter(dir, "firstrun", "io.prometheus.client.Gauge.build().name(\"firstrun_up\").help(\"h\")"
                + ".register(metrics).set(1);");
        Commands.Result first = Commands.jbang(Project.root(), Map.of("METRICS_EXPORTERS", dir.toString()),
                "metrics", "--exporter", "firstrun");
        assertEquals(0, first.exit(), first.describe());
        assertTrue(first.err().contains("metrics: building " + source + " with JBang"), first.describe());
        Commands.Result second = Commands.jbang(Project.root(), Map.of("METRICS_EXPORTERS", dir.toString()),
                "metrics", "--exporter", "firstrun");
        assertEquals(0, second.exit(), second.describe());
        assertEquals("", second.err(), "a later run says nothing extra");
        assertTrue(second.out().contains("firstrun_up 1.0"), second.describe());
    }
}
