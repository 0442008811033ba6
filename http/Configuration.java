import io.prometheus.client.Gauge;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The server's two files, read at start and again on reload (SIGHUP, {@code POST /-/reload}): the web configuration
 * ({@code --web.config.file}: TLS, basic auth, headers, in the exporter toolkit's format) and the server
 * configuration ({@code --config.file}: modules, allowed query options and targets, discovery targets). A reload
 * takes both or neither: a broken file keeps the running configuration, and says why.
 */
final class Configuration {
    /** Paths that stay open whatever the web configuration says: Kubernetes' liveness probe needs no password. */
    static final Set<String> OPEN_PATHS = Set.of("/-/healthy");

    private final Path webConfigFile;
    private final Path configFile;
    private final Map<String, String> environment;
    private final WebSecurity web;
    private volatile ServerConfigFile config;
    private final Gauge lastReloadSuccessful;
    private final Gauge lastReloadSuccess;

    private Configuration(Path webConfigFile, Path configFile, Map<String, String> environment, WebSecurity web,
            ServerConfigFile config, ServerMetrics metrics) {
        this.webConfigFile = webConfigFile;
        this.configFile = configFile;
        this.environment = environment;
        this.web = web;
        this.config = config;
        this.lastReloadSuccessful = Gauge.build().name("server_config_last_reload_successful")
                .help("1 when the last (re)load of the configuration files succeeded, else 0").register(metrics.registry);
        this.lastReloadSuccess = Gauge.build().name("server_config_last_reload_success_timestamp_seconds")
                .help("When the configuration files were last (re)loaded successfully, in seconds since the epoch")
                .register(metrics.registry);
        succeeded();
    }

    /** Reads both files (either path may be null: not given); a bad file is a ConfigException naming it. */
    static Configuration load(Path webConfigFile, Path configFile, Map<String, String> environment,
            ServerMetrics metrics) throws ConfigException {
        WebConfig webConfig = webConfigFile == null ? WebConfig.NONE : WebConfig.load(webConfigFile);
        ServerConfigFile config = configFile == null ? ServerConfigFile.NONE : ServerConfigFile.load(configFile, environment);
        return new Configuration(webConfigFile, configFile, environment, new WebSecurity(webConfig, OPEN_PATHS), config,
                metrics);
    }

    /** No files: plain HTTP, no users, no modules (tests, and a server started without them). */
    static Configuration none(ServerMetrics metrics) {
        try {
            return load(null, null, Map.of(), metrics);
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    WebSecurity web() {
        return web;
    }

    ServerConfigFile config() {
        return config;
    }

    /** The file of {@code --web.config.file}; null when none was given. */
    Path webConfigFile() {
        return webConfigFile;
    }

    /** The file of {@code --config.file}; null when none was given. */
    Path configFile() {
        return configFile;
    }

    /** Reads both files again and takes them, or neither; the message of a failure names the file and the key. */
    synchronized void reload() throws ConfigException {
        try {
            WebConfig webConfig = webConfigFile == null ? WebConfig.NONE : WebConfig.load(webConfigFile);
            ServerConfigFile newConfig = configFile == null ? ServerConfigFile.NONE
                    : ServerConfigFile.load(configFile, environment);
            web.reload(webConfig);
            config = newConfig;
        } catch (ConfigException e) {
            lastReloadSuccessful.set(0);
            throw e;
        }
        succeeded();
    }

    private void succeeded() {
        lastReloadSuccessful.set(1);
        lastReloadSuccess.set(System.currentTimeMillis() / 1000.0);
    }
}
