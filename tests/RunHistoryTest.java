import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pages' run history alone: its bound, what one run keeps, and which values it masks. */
class RunHistoryTest {
    static RunHistory.Entry keep(RunHistory history, List<String> arguments, RunResult result) {
        RunRequest request = new RunRequest("noop", null, arguments, Map.of("NOOP_PASSWORD", "from-the-module"));
        long id = history.record(request, Instant.now(), 0.1, result, Answers.of("noop", result));
        return history.find(id).orElseThrow();
    }

    static int characters(RunHistory.Entry entry) {
        return entry.message().length() + entry.stderr().length() + entry.stdout().length() + entry.metrics().length()
                + String.join(" ", entry.arguments()).length();
    }

    @Test
    void a_kept_run_holds_the_head_and_tail_of_its_output_and_the_first_lines_of_its_metrics() {
        RunHistory history = new RunHistory(10);
        String stderr = "first error line\n" + "e".repeat(1 << 20) + "\nlast error line\n";
        String metrics = "# HELP a A.\n# TYPE a gauge\n" + "a{i=\"x\"} 1\n".repeat(2_000_000);
        RunHistory.Entry entry = keep(history, List.of("--target=sw1"),
                new RunResult.Finished(0, metrics, "o".repeat(1 << 20), stderr));
        assertTrue(characters(entry) < 20 * 1024, "kept " + characters(entry) + " characters");
        assertTrue(entry.stderr().startsWith("first error line\n") && entry.stderr().endsWith("\nlast error line\n"));
        String note = String.format(java.util.Locale.ROOT, "[... %,d characters not kept ...]",
                stderr.length() - RunHistory.STDERR_HEAD - RunHistory.STDERR_TAIL);
        assertTrue(entry.stderr().contains(note), note + " in " + entry.stderr().substring(6000, 6200));
        assertEquals(RunHistory.METRICS_LINES + 1, entry.metrics().lines().count(), entry.metrics());
        assertTrue(entry.metrics().startsWith("# HELP a A.\n# TYPE a gauge\na{i=\"x\"} 1\n"));
        assertTrue(entry.metrics().endsWith(" more characters not kept]\n"), entry.metrics());

        RunHistory.Entry oneLine = keep(history, List.of(), new RunResult.Finished(0, "x".repeat(16 << 20), "", ""));
        assertTrue(characters(oneLine) < 5 * 1024, "a 16 MiB line is cut too: " + characters(oneLine));
        RunHistory.Entry small = keep(history, List.of(), new RunResult.Finished(0, "up 1.0\n", "out\n", "err\n"));
        assertEquals(List.of("up 1.0\n", "out\n", "err\n"), List.of(small.metrics(), small.stdout(), small.stderr()));
    }

    @Test
    void the_history_holds_at_most_its_capacity_newest_first() {
        RunHistory history = new RunHistory(2);
        for (int i = 0; i < 5; i++) {
            keep(history, List.of("--n=" + i), new RunResult.Finished(0, "up 1.0\n", "", ""));
        }
        assertEquals(List.of(5L, 4L), history.recent().stream().map(RunHistory.Entry::id).toList());
        assertTrue(history.find(3).isEmpty());
        assertEquals(0, new RunHistory(0).record(RunRequest.of("noop", List.of()), Instant.now(), 0,
                new RunResult.TimedOut(1), Answers.of("noop", new RunResult.TimedOut(1))));
    }

    @Test
    void values_of_options_whose_names_look_secret_are_masked_in_both_spellings() {
        assertEquals(List.of("--target=sw1", "--community=<hidden>", "--snmp-version=3", "--auth-password", "<hidden>",
                "--API_KEY=<hidden>", "--session-token", "--verbose", "-c", "public", "--timeout", "5", "positional"),
                RunHistory.mask(List.of("--target=sw1", "--community=public", "--snmp-version=3", "--auth-password",
                        "s3cret", "--API_KEY=abc", "--session-token", "--verbose", "-c", "public", "--timeout", "5",
                        "positional")));
        assertEquals(List.of("public", "s3cret"), RunHistory.secretValues(List.of("--community=public",
                "--auth-password", "s3cret", "--api-key=abc", "--target=public2")), "values under 4 characters are "
                + "masked in the arguments only");
    }

    @Test
    void what_a_run_printed_has_its_secret_values_masked_and_the_module_environment_is_never_kept() {
        RunHistory history = new RunHistory(5);
        RunHistory.Entry entry = keep(history, List.of("--community=public-ish"), new RunResult.Finished(2, null,
                "community public-ish\n", "noop: Unknown option: '--community=public-ish'\n"));
        assertEquals("noop: Unknown option: '--community=<hidden>'\n", entry.stderr());
        assertEquals("community <hidden>\n", entry.stdout());
        RunHistory.Entry failed = keep(history, List.of("--community=public-ish"),
                new RunResult.BuildFailed("public-ish"));
        assertEquals("exporter 'noop' could not be built:\n<hidden>\n", failed.message());
        assertTrue(history.recent().toString().indexOf("from-the-module") < 0, history.recent().toString());
    }
}
