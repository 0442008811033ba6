import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code promtool check metrics}: exit 0 clean, 3 lint findings only (accepted), 1 a parse error (never). */
final class Promtool {
    private Promtool() {
    }

    static void assertParses(String exposition) {
        String promtool = Commands.require("promtool", "prometheus");
        Commands.Result result = Commands.run(List.of(promtool, "check", "metrics"), Project.root(), Map.of(),
                Duration.ofSeconds(30), exposition);
        assertTrue(result.exit() == 0 || result.exit() == 3,
                "promtool check metrics rejected the output:\n" + result.describe() + "\n--- input\n" + exposition);
    }
}
