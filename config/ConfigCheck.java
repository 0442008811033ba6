import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code --config.check}: loads the web configuration (certificates and keys included, as a start would) and the
 * server configuration, and says what is wrong, or what they set up. {@code ok()} decides the exit status (0/1).
 */
final class ConfigCheck {
    private ConfigCheck() {
    }

    record Report(List<String> problems, List<String> notes) {
        boolean ok() {
            return problems.isEmpty();
        }

        /** Problems first, then notes, one a line. */
        List<String> lines() {
            List<String> lines = new ArrayList<>(problems);
            lines.addAll(notes);
            return lines;
        }
    }

    /** Either file may be null (not given). */
    static Report check(Path webConfigFile, Path configFile, Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (webConfigFile != null) {
            try {
                WebConfig web = WebConfig.load(webConfigFile);
                if (web.tls().isPresent()) {
                    try {
                        TlsSetup.check(web.tls().get());
                    } catch (ConfigException e) {
                        throw e.in(webConfigFile);
                    }
                }
                notes.add(webConfigFile + ": ok: " + (web.tls().isPresent()
                        ? "TLS " + web.tls().get().minVersion() + ".." + web.tls().get().maxVersion() + ", client "
                        + "certificates: " + web.tls().get().clientAuth() : "plain HTTP") + "; "
                        + (web.users().isEmpty() ? "no basic authentication" : web.users().size() + " user(s)")
                        + (web.headers().isEmpty() ? "" : "; headers: " + String.join(", ", web.headers().keySet())));
            } catch (ConfigException e) {
                problems.add(e.getMessage());
            }
        }
        if (configFile != null) {
            try {
                ServerConfigFile config = ServerConfigFile.load(configFile, environment);
                List<String> described = new ArrayList<>();
                config.exporters().forEach((name, exporter) -> described.add(name + " ("
                        + exporter.modules().size() + " module(s), " + exporter.targets().size() + " target(s)"
                        + (exporter.allowQueryOptions().isPresent() ? ", query options " + exporter.allowQueryOptions().get() : "")
                        + (exporter.allowedTargets().isPresent() ? ", allowed targets " + exporter.allowedTargets().get() : "")
                        + ")"));
                notes.add(configFile + ": ok: " + (described.isEmpty() ? "no exporters" : String.join("; ", described)));
            } catch (ConfigException e) {
                problems.add(e.getMessage());
            }
        }
        return new Report(List.copyOf(problems), List.copyOf(notes));
    }
}
