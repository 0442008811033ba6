import io.javalin.config.JettyConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.UnauthorizedResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The web configuration at work in a Javalin app: HTTPS connectors for the listen addresses, and a before-handler
 * that adds {@code http_server_config.headers} to every answer and asks for basic authentication when users are
 * configured (except on {@code openPaths}, e.g. {@code /-/healthy} for Kubernetes probes). {@link #reload} swaps
 * all of it at once, or nothing.
 * <pre>
 * WebSecurity web = new WebSecurity(WebConfig.load(file), Set.of("/-/healthy"));
 * Javalin.create(config -> {
 *     web.addConnectors(config.jetty, addresses);
 *     config.routes.before(web);
 * });
 * </pre>
 */
final class WebSecurity implements Handler {
    private final Set<String> openPaths;
    private final Optional<TlsSetup> tls;
    private volatile State state;

    private record State(WebConfig config, BasicAuth auth) {
    }

    WebSecurity(WebConfig config, Set<String> openPaths) throws ConfigException {
        this.openPaths = Set.copyOf(openPaths);
        this.tls = config.tls().isPresent() ? Optional.of(new TlsSetup(config.tls().get())) : Optional.empty();
        this.state = new State(config, new BasicAuth(config.users()));
    }

    /** One connector per address: HTTPS when the file configures TLS, plain HTTP otherwise. */
    void addConnectors(JettyConfig jetty, List<ListenAddress> addresses) {
        for (ListenAddress address : addresses) {
            jetty.addConnector((server, http) -> address.connector(server, http, tls.orElse(null)));
        }
    }

    boolean tlsEnabled() {
        return tls.isPresent();
    }

    /** Whether requests need a user's credentials (basic_auth_users), as the file now says. */
    boolean authenticates() {
        return state.auth().enabled();
    }

    /**
     * Takes a re-read file: new users, headers and TLS material. TLS cannot be turned on or off while the server
     * runs (the connectors are made at start); that, like any broken part, refuses the whole reload.
     */
    synchronized void reload(WebConfig config) throws ConfigException {
        if (config.tls().isPresent() != tls.isPresent()) {
            throw new ConfigException("tls_server_config: TLS cannot be turned " + (tls.isPresent() ? "off" : "on")
                    + " by a reload; restart the server");
        }
        if (tls.isPresent()) {
            tls.get().reload(config.tls().get());
        }
        state = new State(config, state.auth().withUsers(config.users()));
    }

    @Override
    public void handle(Context ctx) {
        State current = state;
        for (Map.Entry<String, String> header : current.config().headers().entrySet()) {
            ctx.header(header.getKey(), header.getValue());
        }
        if (!current.auth().enabled() || openPaths.contains(ctx.path())) {
            return;
        }
        if (current.auth().check(ctx.header("Authorization")).isEmpty()) {
            ctx.header("WWW-Authenticate", BasicAuth.CHALLENGE);
            throw new UnauthorizedResponse();
        }
    }
}
