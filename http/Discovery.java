import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.net.URI;
import java.util.Set;

/**
 * {@code GET /discovery}: Prometheus http_sd target groups, one per target of the configuration file's
 * {@code exporters.NAME.targets}, so that one {@code http_sd_configs} entry discovers every target of every
 * exporter (as script_exporter's discovery does). Each group's address is this server's: {@code
 * --web.external-url}, or the request's Host; its labels say what to scrape there.
 */
final class Discovery {
    private Discovery() {
    }

    /**
     * The target groups of {@code config}'s exporters that are present.
     *
     * @param externalUrl the server as Prometheus reaches it (its path prefixes {@code __metrics_path__})
     */
    static String json(ServerConfigFile config, Set<String> present, URI externalUrl) {
        String address = externalUrl.getHost() + (externalUrl.getPort() < 0 ? "" : ":" + externalUrl.getPort());
        String prefix = externalUrl.getPath() == null ? "" : externalUrl.getPath().replaceAll("/+$", "");
        JsonArray groups = new JsonArray();
        config.exporters().forEach((exporter, settings) -> {
            if (!present.contains(exporter)) {
                return;
            }
            for (ServerConfigFile.Target target : settings.targets()) {
                JsonObject labels = new JsonObject();
                labels.addProperty("__scheme__", externalUrl.getScheme());
                labels.addProperty("__metrics_path__", prefix + "/metrics/" + exporter);
                labels.addProperty("__param_target", target.target());
                target.module().ifPresent(module -> labels.addProperty("__param_module", module));
                labels.addProperty("exporter", exporter);
                labels.addProperty("instance", target.target());
                JsonArray targets = new JsonArray();
                targets.add(address);
                JsonObject group = new JsonObject();
                group.add("targets", targets);
                group.add("labels", labels);
                groups.add(group);
            }
        });
        return groups.toString();
    }
}
