import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The server's pure parts: query to arguments, settings, deadlines. */
class ServerUnitTest {

    @Test
    void query_becomes_arguments_in_order() throws Exception {
        ExporterArguments.Parsed parsed = ExporterArguments.parse("target=sw1&--community=x&-v&verbose=&debug&t=a,b:1");
        assertEquals(List.of("--target=sw1", "--community=x", "-v", "--verbose", "--t=a,b:1"), parsed.arguments());
        assertTrue(parsed.debug());
        assertEquals(List.of(), ExporterArguments.parse(null).arguments());
        assertEquals(List.of(), ExporterArguments.parse("").arguments());
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
                "no-print", "'no-print' is reserved");
        cases.forEach((query, message) -> {
            ExporterArguments.BadParameter e = assertThrows(ExporterArguments.BadParameter.class,
                    () -> ExporterArguments.parse(query), query);
            assertTrue(e.getMessage().contains(message), query + ": " + e.getMessage());
        });
    }

    @Test
    void settings_have_the_originals_defaults_and_refuse_bad_values() {
        ServerConfig defaults = ServerConfig.fromEnvironment(Map.of());
        assertEquals(new ServerConfig("0.0.0.0", 80, 2, Duration.ofSeconds(59)), defaults);
        assertEquals(Duration.ofMillis(2500), ServerConfig.fromEnvironment(Map.of("TIMEOUT", "2.5")).timeout());
        for (Map<String, String> bad : List.of(Map.of("PORT", "70000"), Map.of("PORT", "x"), Map.of("WORKERS", "-1"),
                Map.of("TIMEOUT", "0"), Map.of("TIMEOUT", "NaN"), Map.of("HOST", " "))) {
            assertThrows(IllegalArgumentException.class, () -> ServerConfig.fromEnvironment(bad), bad.toString());
        }
    }

    @Test
    void deadline_is_the_smaller_of_timeout_and_scrape_timeout_less_half_a_second() {
        ServerApp app = new ServerApp(new ServerConfig("127.0.0.1", 0, 1, Duration.ofSeconds(10)), null, null);
        assertEquals(Duration.ofSeconds(10), app.deadline(null));
        assertEquals(Duration.ofMillis(4500), app.deadline("5"));
        assertEquals(Duration.ofSeconds(10), app.deadline("60"));
        assertEquals(Duration.ZERO, app.deadline("0.2"));
        assertThrows(io.javalin.http.BadRequestResponse.class, () -> app.deadline("soon"));
    }
}
