import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * An exporter's options for its page, read by a JVM of its build ({@code WorkerMain --describe}): here the test
 * suite's own class path, where the fixture exporters are compiled.
 */
class ExporterOptionsTest {
    static BuiltExporter built(String mainClass, String fingerprint) {
        return new BuiltExporter(ProcessHandle.current().info().command().orElseThrow(), List.of(),
                System.getProperty("java.class.path"), mainClass, BuiltExporter.Mode.WARM, List.of(), fingerprint);
    }

    static Map<String, ExporterOptions.Option> byName(List<ExporterOptions.Option> options) {
        return options.stream().collect(Collectors.toMap(ExporterOptions.Option::name, Function.identity()));
    }

    @Test
    void the_options_come_from_the_exporters_picocli_model_in_a_jvm_of_its_build() throws Exception {
        Map<String, ExporterOptions.Option> options = byName(new ExporterOptions().read("described",
                built("described", "one")).get(60, TimeUnit.SECONDS));
        ExporterOptions.Option target = options.get("--target");
        assertEquals(List.of("-t", "--target"), target.names());
        assertEquals("HOST[:PORT]", target.paramLabel());
        assertEquals("A device to read, repeatable.", target.description());
        assertTrue(target.repeatable());
        assertFalse(target.flag());
        assertEquals("target", target.bareName());
        assertEquals("2", options.get("--retries").shownDefault());
        assertTrue(options.get("--verbose").flag());
        assertEquals("", options.get("--verbose").shownDefault(), "a flag's false is no default worth showing");
        assertFalse(options.containsKey("--internal"), "hidden options stay hidden");
        assertTrue(options.containsKey("--debug") && options.containsKey("--no-print"), options.keySet().toString());
    }

    @Test
    void the_describe_jvm_gets_no_environment_so_no_secret_of_the_servers_reaches_a_page() throws Exception {
        assertTrue(System.getenv().containsKey("PATH"));
        ExporterOptions.Option token = byName(new ExporterOptions().read("described",
                built("described", "one")).get(60, TimeUnit.SECONDS)).get("--api-token");
        assertEquals("The device's token (default: DESCRIBED_TOKEN); the environment's PATH: unset.", token.description());
        assertEquals("${env:DESCRIBED_TOKEN:-none}", token.defaultValue(), "the default as declared, not its value");
    }

    @Test
    void the_options_are_read_once_per_build() {
        ExporterOptions reader = new ExporterOptions();
        var first = reader.read("described", built("described", "one"));
        assertSame(first, reader.read("described", built("described", "one")));
        first.join();
        assertSame(first, reader.read("described", built("described", "one")), "kept once read");
        assertNotSame(first, reader.read("described", built("described", "two")), "a new build is read again");
    }

    @Test
    void a_describe_that_fails_says_why_and_is_not_tried_again_for_the_same_build() {
        ExporterOptions reader = new ExporterOptions();
        var failed = reader.read("gone", built("NoSuchExporterClass", "one"));
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, failed::join);
        assertTrue(e.getCause() instanceof ExporterOptions.Unreadable, e.toString());
        assertTrue(e.getCause().getMessage().contains("failed (exit 1)")
                && e.getCause().getMessage().contains("ClassNotFoundException: NoSuchExporterClass"), e.getMessage());
        assertSame(failed, reader.read("gone", built("NoSuchExporterClass", "one")));
    }

    @Test
    void output_before_the_json_line_is_skipped_and_anything_else_is_a_clear_failure() {
        List<ExporterOptions.Option> options = ExporterOptions.parse("a constructor printed this\n{\"options\":[{\"names\":"
                + "[\"--x\"],\"paramLabel\":\"X\",\"description\":\"d\",\"default\":null,\"required\":true,\"arity\":\"1\","
                + "\"type\":\"String\",\"repeatable\":false}]}\n");
        assertEquals(1, options.size());
        assertTrue(options.get(0).required());
        ExporterOptions.Unreadable none = org.junit.jupiter.api.Assertions.assertThrows(ExporterOptions.Unreadable.class,
                () -> ExporterOptions.parse("Usage: something else\n"));
        assertTrue(none.getMessage().contains("printed no options"), none.getMessage());
        assertThrowsUnreadable("{\"options\":[{\"names\":1}]}");
        assertThrowsUnreadable("{\"nothing\":true}");
    }

    private static void assertThrowsUnreadable(String json) {
        ExporterOptions.Unreadable e = org.junit.jupiter.api.Assertions.assertThrows(ExporterOptions.Unreadable.class,
                () -> ExporterOptions.parse(json));
        assertTrue(e.getMessage().contains("something else than its JSON"), e.getMessage());
    }
}
