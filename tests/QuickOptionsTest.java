import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
        // picocli's environment lookups: a set variable, an unset one with and without fallback, inside text
        @Option(names = "--home", defaultValue = "${env:HOME:-none}") String home;
        @Option(names = "--unset", defaultValue = "${env:METRICS_TEST_UNSET_VARIABLE:-fallback}") String unset;
        @Option(names = "--bare", defaultValue = "${env:METRICS_TEST_UNSET_VARIABLE}") String bare = "initial";
        @Option(names = "--mixed", defaultValue = "x-${env:HOME:-h}-y") String mixed;

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

    /** Defaults this class leaves to picocli: an escaped lookup, another kind of lookup, an unset variable in text. */
    static class otherLookups extends Exporter {
        @Option(names = "--a", defaultValue = "$${env:HOME}") String escaped;
        @Option(names = "--b", defaultValue = "${sys:user.home}") String system;
        @Option(names = "--c", defaultValue = "x${env:METRICS_TEST_UNSET_VARIABLE}") String inText;

        @Override
        public void gatherMetrics() {
        }
    }

    /** An option only gatherMetrics() can check: usage() makes it a usage error. */
    static class validating extends Exporter {
        @Option(names = "--n") int n;

        @Override
        public void gatherMetrics() {
            if (n < 1) {
                throw usage("Invalid --n " + n + ": at least 1");
            }
        }
    }

    /** The same through picocli (a positional parameter is never the fast path's). */
    static class validatingWithPicocli extends validating {
        @CommandLine.Parameters(arity = "0..*") List<String> rest;
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
        assertFalse(QuickOptions.bind(new otherLookups(), new String[0]), "lookups other than ${env:...} are picocli's");
        assertTrue(QuickOptions.bind(new withRequired(), new String[] {"--needed", "x"}));
    }

    /** Both ways of writing fields (core reflection up to JDK 17, VarHandles after) on every kind the fast path binds. */
    @Test
    void option_fields_are_written_alike_through_reflection_and_var_handles() throws Exception {
        Map<String, Object> written = Map.of("target", "t", "port", 1161, "big", 1L << 40, "ratio", 1.5, "boxed", -3,
                "flag", true, "items", List.of("a"), "file", Path.of("/x"), "colour", Colour.GREEN);
        Map<String, String> viaReflection = null;
        for (boolean varHandles : new boolean[] {false, true}) {
            sample command = new sample();
            for (Map.Entry<String, Object> entry : written.entrySet()) {
                Field field = sample.class.getDeclaredField(entry.getKey());
                OptionFields.set(field, command, entry.getValue(), varHandles);
                field.setAccessible(true);
                assertEquals(entry.getValue(), field.get(command), entry.getKey() + ", varHandles " + varHandles);
                assertEquals(entry.getValue(), OptionFields.get(field, command, varHandles), entry.getKey());
            }
            Field mixin = Exporter.class.getDeclaredField("runOptions");
            mixin.setAccessible(true);
            assertTrue(mixin.get(command) == OptionFields.get(mixin, command, varHandles), "the mixin itself");
            if (viaReflection == null) {
                viaReflection = values(command);
            } else {
                assertEquals(viaReflection, values(command));
            }
        }
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
        assertTrue(QuickOptions.bind(new cisco(), new String[] {"--target", "sw1", "--target", "sw2", "--timeout=1.5"}));
    }

    @Test
    void a_usage_error_from_gather_metrics_exits_2_on_both_paths() {
        for (validating command : List.of(new validating(), new validatingWithPicocli())) {
            String name = command.getClass().getSimpleName();
            assertEquals(!(command instanceof validatingWithPicocli), QuickOptions.bind(newInstance(command), new String[] {"--n", "0"}));
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            int exit = ExporterRun.execute(command, new String[] {"--n", "0"}, new java.io.PrintStream(out, true),
                    new java.io.PrintStream(err, true));
            assertEquals(2, exit, name + ": " + err);
            assertEquals(name + ": Invalid --n 0: at least 1\nTry '" + name + " --help' for the options.\n", err.toString());
            assertEquals("", out.toString(), "no metrics after a usage error");
        }
    }

    static validating newInstance(validating command) {
        return command instanceof validatingWithPicocli ? new validatingWithPicocli() : new validating();
    }

    @Retention(RetentionPolicy.RUNTIME)
    @interface Everything {
        byte b(); char c(); double d(); float f(); int i(); long j(); short s(); boolean z(); String str();
        Class<?> cls(); Colour e(); String[] arr(); Option nested(); int untouched() default 7;
    }

    static class annotated {
        @Everything(b = 1, c = 'x', d = 2.5, f = 1.5f, i = 42, j = 1L << 40, s = 3, z = true, str = "text",
                cls = Path.class, e = Colour.GREEN, arr = {"a", "b"}, nested = @Option(names = "--n", required = true))
        String field;

        @Option(names = "--m")
        void method(String value) {
        }
    }

    /** Every kind of element value, read from the class file as the source declared it (defaults absent). */
    @Test
    void class_file_annotations_read_every_element_kind() throws Exception {
        ClassFileAnnotations file = ClassFileAnnotations.of(annotated.class);
        ClassFileAnnotations.Member field = file.fields.stream().filter(f -> f.name.equals("field")).findFirst().orElseThrow();
        Map<String, Object> everything = field.annotations.get("L" + Everything.class.getName().replace('.', '/') + ";");
        assertEquals(Map.ofEntries(Map.entry("b", 1), Map.entry("c", (int) 'x'), Map.entry("d", 2.5), Map.entry("f", 1.5f),
                Map.entry("i", 42), Map.entry("j", 1L << 40), Map.entry("s", 3), Map.entry("z", true), Map.entry("str", "text"),
                Map.entry("cls", "Ljava/nio/file/Path;"), Map.entry("e", "LQuickOptionsTest$Colour;.GREEN"),
                Map.entry("arr", List.of("a", "b")), Map.entry("nested", Map.of("names", List.of("--n"), "required", true))), everything);
        assertTrue(file.methods.stream().anyMatch(m -> m.name.equals("method")
                && m.annotations.get("Lpicocli/CommandLine$Option;").equals(Map.of("names", List.of("--m")))));
    }

    /** What QuickOptions reads of each @Option of the project's classes is what reflection sees. */
    @Test
    void class_file_options_agree_with_reflection() throws Exception {
        for (Class<?> type : List.of(sample.class, withRequired.class, noop.class, dummy.class, Exporter.class, RunOptions.class)) {
            ClassFileAnnotations file = ClassFileAnnotations.of(type);
            for (Field field : type.getDeclaredFields()) {
                Option option = field.getAnnotation(Option.class);
                ClassFileAnnotations.Member member = file.fields.stream().filter(f -> f.name.equals(field.getName()))
                        .findFirst().orElseThrow();
                Map<String, Object> read = member.annotations.get("Lpicocli/CommandLine$Option;");
                assertEquals(option != null, read != null, type + "." + field.getName());
                if (option == null) {
                    continue;
                }
                Object names = read.get("names");
                assertEquals(Arrays.asList(option.names()), names instanceof List<?> list ? list : List.of(names), field.getName());
                assertEquals(option.required(), read.getOrDefault("required", false), field.getName());
                assertEquals(option.defaultValue(), read.getOrDefault("defaultValue", "__no_default_value__"), field.getName());
                List<String> converters = Arrays.stream(option.converter()).map(c -> "L" + c.getName().replace('.', '/') + ";").toList();
                Object converter = read.getOrDefault("converter", List.of());
                assertEquals(converters, converter instanceof List<?> list ? list : List.of(converter), field.getName());
                assertEquals(field.getModifiers(), member.access & 0xFFFF & ~0x1000, field.getName()); // but synthetic
            }
        }
    }
}
