import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.PushGateway;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Pushes a run's metrics to a Pushgateway with PUT, replacing the group as the original did. */
final class Push {
    static final String USERNAME_ENV = "PUSHGATEWAY_USERNAME";
    static final String PASSWORD_ENV = "PUSHGATEWAY_PASSWORD";
    private static final int TIMEOUT_MILLIS = 10_000;

    private Push() {
    }

    static void push(URL address, String job, Map<String, String> groupingKey, CollectorRegistry registry,
            Map<String, String> env) throws IOException {
        String username = env.get(USERNAME_ENV);
        String password = env.get(PASSWORD_ENV);
        if ((username == null) != (password == null)) {
            throw new IOException("set both " + USERNAME_ENV + " and " + PASSWORD_ENV + " for basic auth, or neither");
        }
        String authorization = username == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        PushGateway gateway = new PushGateway(address);
        gateway.setConnectionFactory(url -> {
            HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
            connection.setConnectTimeout(TIMEOUT_MILLIS);
            connection.setReadTimeout(TIMEOUT_MILLIS);
            if (authorization != null) {
                connection.setRequestProperty("Authorization", authorization);
            }
            return connection;
        });
        gateway.push(Exposition.snapshot(registry), job, groupingKey);
    }
}
