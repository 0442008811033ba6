import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The server's pure parts: settings from the environment, query to arguments. */
class ServerSettingsTest {

    @Test
    void settings_have_the_originals_defaults_and_refuse_bad_values_naming_them() {
        ServerSettings defaults = ServerSettings.fromEnvironment(Map.of());
        assertEquals(new ServerSettings("0.0.0.0", 80, 2, Duration.ofSeconds(59), Map.of(), 1_000_000, 384, 128, 100), defaults);
        assertEquals(Duration.ofMillis(2500), ServerSettings.fromEnvironment(Map.of("TIMEOUT", "2.5")).timeout());
        assertEquals(Map.of("cisco", BuiltExporter.Mode.FRESH, "dummy", BuiltExporter.Mode.SERIAL),
                ServerSettings.fromEnvironment(Map.of("EXPORTER_MODES", "cisco=fresh, dummy=serial")).modes());
        Map<Map<String, String>, String> bad = Map.of(
                Map.of("PORT", "70000"), "PORT must be a whole number from 0 to 65535, got '70000'",
                Map.of("PORT", "x"), "PORT must be",
                Map.of("WORKERS", "0"), "WORKERS must be a whole number from 1",
                Map.of("MAX_CONCURRENT_RUNS", "-5"), "MAX_CONCURRENT_RUNS must be a whole number from 1",
                Map.of("TIMEOUT", "0"), "TIMEOUT must be more than 0",
                Map.of("RUN_HISTORY", "1001"), "RUN_HISTORY must be a whole number from 0 to 1000, got '1001'",
                Map.of("TIMEOUT", "NaN"), "TIMEOUT must be more than 0",
                Map.of("HOST", " "), "HOST must be an address",
                Map.of("EXPORTER_MODES", "echo=lukewarm"), "EXPORTER_MODES must be NAME=warm|serial|fresh");
        bad.forEach((env, message) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ServerSettings.fromEnvironment(env), env.toString());
            assertTrue(e.getMessage().startsWith(message), env + ": " + e.getMessage());
        });
    }

    @Test
    void query_becomes_arguments_in_order() throws Exception {
        QueryArguments.Parsed parsed = QueryArguments.parse("target=sw1&--community=x&-v&verbose=&debug&t=a,b:1");
        assertEquals(List.of("--target=sw1", "--community=x", "-v", "--verbose", "--t=a,b:1"), parsed.arguments());
        assertTrue(parsed.debug());
        assertEquals(List.of(), QueryArguments.parse(null).arguments());
        assertEquals(List.of(), QueryArguments.parse("").arguments());
    }

    @Test
    void bad_queries_name_the_bad_parameter() {
        Map<String, String> cases = Map.of(
                "target=a/b", "bad value for query parameter 'target'",
                "=x", "bad query parameter name ''",
                "a&&b", "bad query parameter name ''",
                "t%ZZ=1", "bad percent-encoding",
                "help", "'help' is reserved",
                "-h", "'-h' is reserved",
                "--", "bad query parameter name '--'",
                "---x", "bad query parameter name '---x'",
                "no-print", "'no-print' is reserved");
        cases.forEach((query, message) -> {
            QueryArguments.BadParameter e = assertThrows(QueryArguments.BadParameter.class,
                    () -> QueryArguments.parse(query), query);
            assertTrue(e.getMessage().contains(message), query + ": " + e.getMessage());
        });
    }
}
