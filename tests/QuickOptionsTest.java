import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The fast path binds exactly what picocli binds, or declines and leaves the command untouched. */
class QuickOptionsTest {

    enum Colour { RED, GREEN }

    /** Every kind of option the fast path handles, and the harness's own through the base class. */
    static class sample extends Exporter {
        @Option(names = "--target") String target;
        @Option(names = {"-p", "--port"}, defaultValue = "161") int port;
        @Option(names = "--big") long big;
        @Option(names = "--ratio") double ratio;
        @Option(names = "--boxed") Integer boxed;
        @Option(names = "--flag") boolean flag;
        @Option(names = "--items") List<String> items = new ArrayList<>(List.of("initial"));
        @Option(names = "--file") Path file;
        @Option(names = "--colour") Colour colour;
        @Option(names = "--host", defaultValue = "localhost") String host;

        @Override
        public void gatherMetrics() {
        }
    }

    static class withRequired extends Exporter {
        @Option(names = "--needed", required = true) String needed;

        @Override
        public void gatherMetrics() {
        }
    }

    static final List<List<String>> PLAIN = List.of(
            List.of(),
            List.of("--target", "core-sw01"),
            List.of("--target=core-sw01", "--port=1161"),
            List.of("-p", "9", "--big", "123456789012", "--ratio", "1.5", "--boxed=-3"),
            List.of("--flag", "--items", "a", "--items=b", "--file", "/tmp/x", "--colour", "GREEN"),
            List.of("--target=", "--host", "db1"),
            List.of("--no-print", "--output-filename", "/tmp/out.prom", "--pushgateway-address", "gw:9091", "--debug"),
            List.of("--pushgateway-address=https://gw.example/base", "--target", "x"));

    static final List<List<String>> NOT_PLAIN = List.of(
            List.of("--help"), List.of("-h"), List.of("--unknown"), List.of("positional"),
            List.of("--target"), List.of("--target", "--flag"), List.of("--target", "a", "--target", "b"),
            List.of("--flag", "--flag"), List.of("--flag=true"), List.of("--port", "x"), List.of("--port=0x10"),
            List.of("--colour", "red"), List.of("--pushgateway-address", "no-port"),
            List.of("--grouping-key", "instance=a", "--pushgateway-address", "gw:1"), List.of("--port", "-1"),
            List.of("--"), List.of("-"));

    /** Every option field of the command and its mixins, by name, as comparable text. */
    static Map<String, String> values(Object command) throws Exception {
        Map<String, String> values = new TreeMap<>();
        for (Class<?> type = command.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                field.setAccessible(true);
                if (field.isAnnotationPresent(Option.class)) {
                    values.put(type.getSimpleName() + "." + field.getName(), String.valueOf(field.get(command)));
                } else if (field.isAnnotationPresent(CommandLine.Mixin.class)) {
                    values(field.get(command)).forEach((k, v) -> values.put(field.getName() + "." + k, v));
                }
            }
        }
        return values;
    }

    @Test
    void plain_arguments_bind_exactly_as_picocli_binds_them() throws Exception {
        for (List<String> args : PLAIN) {
            sample quick = new sample();
            assertTrue(QuickOptions.bind(quick, args.toArray(String[]::new)), "declined " + args);
            sample parsed = new sample();
            new CommandLine(parsed).parseArgs(args.toArray(String[]::new));
            assertEquals(values(parsed), values(quick), "disagrees with picocli on " + args);
        }
    }

    @Test
    void anything_else_is_declined_and_changes_nothing() throws Exception {
        for (List<String> args : NOT_PLAIN) {
            sample quick = new sample();
            Map<String, String> before = values(quick);
            assertFalse(QuickOptions.bind(quick, args.toArray(String[]::new)), "should leave to picocli: " + args);
            assertEquals(before, values(quick), "changed the command while declining " + args);
        }
        assertFalse(QuickOptions.bind(new withRequired(), new String[0]), "a missing required option is picocli's error");
        assertTrue(QuickOptions.bind(new withRequired(), new String[] {"--needed", "x"}));
    }

    @Test
    void commands_with_parameters_or_unmatched_arguments_are_left_to_picocli() {
        class positional extends Exporter {
            @CommandLine.Parameters List<String> rest;

            @Override
            public void gatherMetrics() {
            }
        }
        assertFalse(QuickOptions.bind(new positional(), new String[] {"--debug"}));
    }

    @Test
    void the_project_exporters_take_the_fast_path() {
        assertTrue(QuickOptions.bind(new noop(), new String[] {"--target=x", "--no-print", "--output-filename=/tmp/n"}));
        assertTrue(QuickOptions.bind(new dummy(), new String[] {"--debug"}));
    }
}
