import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launch cache in {@code ./jbang}: a second run of the same script or alias skips JBang, and any change
 * JBang would see (a source, a //FILES resource, the catalog, a deleted jar) sends it back to JBang. Every
 * case runs real scripts in a throw-away directory with its own catalog; the launcher's debug line says
 * which path it took, and the output proves the right program ran.
 */
class LauncherCacheTest {
    @TempDir
    Path dir;
    Path cache;
    Map<String, String> env;

    @BeforeEach
    void project() throws IOException {
        cache = dir.resolve("cache");
        env = new HashMap<>(Map.of("METRICS_CACHE_DIR", cache.toString(), "METRICS_LAUNCH_DEBUG", "1"));
        Files.writeString(dir.resolve("jbang-catalog.json"), catalog("hello.java"));
        Files.writeString(dir.resolve("Greeting.java"), "class Greeting { static final String TEXT = \"hello\"; }\n");
        Files.writeString(dir.resolve("note.txt"), "first note\n");
        Files.writeString(dir.resolve("hello.java"), """
                //SOURCES Greeting.java
                //FILES note.txt
                public class hello {
                    public static void main(String[] args) throws Exception {
                        String note = new String(hello.class.getResourceAsStream("/note.txt").readAllBytes()).trim();
                        System.out.println(Greeting.TEXT + " / " + note);
                        for (String arg : args) {
                            System.out.println("[" + arg + "]");
                        }
                        System.exit(args.length > 0 && args[0].startsWith("exit=") ? Integer.parseInt(args[0].substring(5)) : 0);
                    }
                }
                """);
    }

    static String catalog(String script) {
        return "{ \"aliases\": { \"hello\": { \"script-ref\": \"" + script + "\" } } }\n";
    }

    Commands.Result jbang(String... args) {
        return Commands.jbang(dir, env, args);
    }

    List<Path> entries() throws IOException {
        if (!Files.isDirectory(cache.resolve("launches"))) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cache.resolve("launches"))) {
            return files.toList();
        }
    }

    @Test
    void second_run_skips_jbang_and_passes_arguments_and_exit_code_exactly() throws Exception {
        String[] args = {"hello", "exit=3", "a b", "", "it's", "$HOME", "*", "--verbose", "\"q\""};
        Commands.Result first = jbang(args);
        assertEquals(3, first.exit(), first.describe());
        assertTrue(first.err().contains("launch cache: kept: hello"), first.describe());
        String expected = "hello / first note\n[exit=3]\n[a b]\n[]\n[it's]\n[$HOME]\n[*]\n[--verbose]\n[\"q\"]\n";
        assertEquals(expected, first.out());

        Commands.Result second = jbang(args);
        assertEquals(3, second.exit(), second.describe());
        assertTrue(second.err().contains("launch cache: hit: hello"), second.describe());
        assertFalse(second.err().contains("[jbang]"), "JBang ran: " + second.describe());
        assertEquals(expected, second.out());
        assertEquals(3, entries().size(), entries().toString()); // one .cmd, .sums and .dirs, no leftovers
    }

    @Test
    void an_edited_companion_source_or_resource_is_rebuilt() throws Exception {
        assertEquals("hello / first note\n", jbang("hello").out());
        assertTrue(jbang("hello").err().contains("hit: hello"));

        Files.writeString(dir.resolve("Greeting.java"), "class Greeting { static final String TEXT = \"bonjour\"; }\n");
        Commands.Result edited = jbang("hello");
        assertTrue(edited.err().contains("stale: a source, resource or catalog of hello changed"), edited.describe());
        assertEquals("bonjour / first note\n", edited.out(), edited.describe());

        Files.writeString(dir.resolve("note.txt"), "second note\n");
        Commands.Result resource = jbang("hello");
        assertTrue(resource.err().contains("stale:"), resource.describe());
        assertEquals("bonjour / second note\n", resource.out(), resource.describe());

        Commands.Result again = jbang("hello");
        assertTrue(again.err().contains("hit: hello"), again.describe());
        assertEquals("bonjour / second note\n", again.out());
    }

    @Test
    void a_new_file_a_sources_glob_matches_is_seen() throws Exception {
        Files.writeString(dir.resolve("hello.java"), Files.readString(dir.resolve("hello.java"))
                .replace("//SOURCES Greeting.java", "//SOURCES Greet*.java")
                .replace("Greeting.TEXT + \" / \"", "Greeting.TEXT + Greetings.more() + \" / \""));
        Files.writeString(dir.resolve("Greetings.java"), "class Greetings { static String more() { return \"\"; } }\n");
        assertEquals("hello / first note\n", jbang("hello").out());
        assertTrue(jbang("hello").err().contains("hit: hello"));

        Files.writeString(dir.resolve("GreetingsMore.java"), "class GreetingsMore { }\n");
        Commands.Result added = jbang("hello");
        assertTrue(added.err().contains("stale: the .java files in " + dir + " changed"), added.describe());
        assertEquals(0, added.exit(), added.describe());
        assertTrue(jbang("hello").err().contains("hit: hello"), "kept again once built");
    }

    @Test
    void an_alias_moved_in_the_catalog_runs_its_new_script() throws Exception {
        Files.writeString(dir.resolve("other.java"), "public class other { public static void main(String[] a) { System.out.println(\"other\"); } }\n");
        assertEquals("hello / first note\n", jbang("hello").out());
        Files.writeString(dir.resolve("jbang-catalog.json"), catalog("other.java"));
        Commands.Result moved = jbang("hello");
        assertTrue(moved.err().contains("stale:"), moved.describe());
        assertEquals("other\n", moved.out(), moved.describe());
    }

    @Test
    void a_catalog_appearing_nearer_the_working_directory_is_seen() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Files.writeString(sub.resolve("other.java"), "public class other { public static void main(String[] a) { System.out.println(\"nearer\"); } }\n");
        assertEquals("hello / first note\n", Commands.jbang(sub, env, "hello").out());
        assertTrue(Commands.jbang(sub, env, "hello").err().contains("hit: hello"));
        Files.writeString(sub.resolve("jbang-catalog.json"), catalog("other.java"));
        Commands.Result nearer = Commands.jbang(sub, env, "hello");
        assertTrue(nearer.err().contains("miss: hello"), nearer.describe());
        assertEquals("nearer\n", nearer.out(), nearer.describe());
    }

    @Test
    void a_jar_removed_from_jbangs_cache_is_built_again() throws Exception {
        jbang("hello");
        Path command = entries().stream().filter(p -> p.toString().endsWith(".cmd")).findFirst().orElseThrow();
        String jar = Files.readAllLines(command).stream().filter(l -> l.startsWith("need ") && l.endsWith("hello.jar"))
                .findFirst().orElseThrow().substring("need ".length());
        Files.delete(Path.of(jar));
        Commands.Result rebuilt = jbang("hello");
        assertTrue(rebuilt.err().contains("stale: " + jar + " is gone"), rebuilt.describe());
        assertEquals("hello / first note\n", rebuilt.out(), rebuilt.describe());
        assertTrue(Files.exists(Path.of(jar)), "JBang built " + jar + " again");
    }

    @Test
    void a_script_that_does_not_compile_is_not_kept_and_its_error_shows_once() throws Exception {
        Files.writeString(dir.resolve("broken.java"), "public class broken { void main( }\n");
        Commands.Result broken = jbang("broken.java");
        assertTrue(broken.exit() != 0, broken.describe());
        assertTrue(broken.err().contains("not kept: JBang failed for broken.java (exit 1)"), broken.describe());
        assertEquals(1, broken.err().split("broken.java:1: error", -1).length - 1, broken.describe());
        assertEquals(List.of(), entries()); // nothing kept, no work directory left
    }

    @Test
    void jbang_commands_options_and_the_off_switch_keep_nothing() throws Exception {
        assertEquals(0, jbang("--version").exit());
        assertEquals(0, jbang("info", "tools", "hello").exit());
        assertEquals(0, jbang("run", "hello").exit());
        assertEquals(0, jbang("--quiet", "hello").exit());
        assertEquals(List.of(), entries());
        env.put("METRICS_LAUNCH_CACHE", "off");
        Commands.Result off = jbang("hello");
        assertEquals("hello / first note\n", off.out(), off.describe());
        assertFalse(off.err().contains("launch cache"), off.describe());
        assertEquals(List.of(), entries());
    }

    @Test
    void an_unknown_alias_fails_as_jbang_says() throws Exception {
        Commands.Result unknown = jbang("nosuchalias", "x");
        assertTrue(unknown.exit() != 0, unknown.describe());
        assertTrue(unknown.err().contains("nosuchalias"), unknown.describe());
        assertTrue(unknown.err().contains("not kept: JBang cannot resolve nosuchalias"), unknown.describe());
        assertEquals(List.of(), entries());
    }

    /** The project's own command line: the alias and the dispatcher behind it. */
    @Test
    void metrics_alias_is_kept_and_runs_exporters() throws Exception {
        Map<String, String> projectEnv = new HashMap<>(env);
        projectEnv.put("METRICS_CACHE_DIR", cache.toString());
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Commands.Result run = Commands.jbang(Project.root(), projectEnv, "metrics", "--exporter", "noop", "--target", "x y");
            assertEquals(0, run.exit(), run.describe());
            assertTrue(run.err().contains(i == 0 ? "kept: metrics" : "hit: metrics"), run.describe());
            outputs.add(run.out());
        }
        assertEquals(outputs.get(0), outputs.get(1));
        assertTrue(outputs.get(1).contains("noop_up{target=\"x y\"} 1.0"), outputs.get(1));
    }
}
