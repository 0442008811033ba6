import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tests/setup.sh, which `./jbang test` runs first: it says what is missing, why, and how to get it. */
class TestSetupTest {

    static Commands.Result setup(Path bin, List<String> prefix) {
        List<String> command = new java.util.ArrayList<>(prefix);
        command.addAll(List.of("/bin/bash", Project.root().resolve("tests/setup.sh").toString()));
        return Commands.run(command, Project.root(), Map.of("PATH", bin.toString()), Duration.ofSeconds(30));
    }

    @Test
    void without_apt_get_it_names_the_missing_packages_and_why_and_exits_1(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin")); // a PATH with none of the tools
        Commands.Result result = setup(bin, List.of());
        assertEquals(1, result.exit(), result.describe());
        assertTrue(result.err().contains("test setup: prometheus-pushgateway is missing (no prometheus-pushgateway): "
                + "a real Pushgateway receives the pushes"), result.describe());
        assertTrue(result.err().contains("install these packages, then run the tests again: prometheus "
                + "prometheus-pushgateway apache2-utils snmpsim"), result.describe());
        assertTrue(result.err().contains("(no apt-get here)"), result.describe());
    }

    @Test
    void without_root_or_sudo_it_says_which_command_to_run_and_exits_1(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("apt-get", "id")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of(tool.equals("id") ? "/usr/bin/id" : "/bin/false"));
        }
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        String setpriv = Commands.require("setpriv", "util-linux");
        Commands.Result result = setup(bin, List.of(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"));
        assertEquals(1, result.exit(), result.describe());
        assertTrue(result.err().contains("needs root: run 'sudo apt-get install prometheus prometheus-pushgateway"),
                result.describe());
    }
}
