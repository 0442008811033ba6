import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Pushes a run's metrics to a Pushgateway with PUT, replacing the group as the original did. The whole push,
 * connecting included, is bounded by {@link #TIMEOUT}: a gateway that answers a byte at a time cannot hold a
 * cron job.
 */
final class Push {
    static final String USERNAME_ENV = "PUSHGATEWAY_USERNAME";
    static final String PASSWORD_ENV = "PUSHGATEWAY_PASSWORD";
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Push() {
    }

    static void push(URL address, String job, Map<String, String> groupingKey, String text, Map<String, String> env)
            throws IOException {
        push(address, job, groupingKey, text, env, TIMEOUT);
    }

    static void push(URL address, String job, Map<String, String> groupingKey, String text, Map<String, String> env,
            Duration timeout) throws IOException {
        String username = env.get(USERNAME_ENV);
        String password = env.get(PASSWORD_ENV);
        if ((username == null) != (password == null)) {
            throw new IOException("set both " + USERNAME_ENV + " and " + PASSWORD_ENV + " for basic auth, or neither");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(groupUri(address, job, groupingKey))
                .timeout(timeout)
                .header("Content-Type", Exposition.CONTENT_TYPE)
                .PUT(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8));
        if (username != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
        CompletableFuture<HttpResponse<String>> sent = client.sendAsync(request.build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        HttpResponse<String> response;
        try {
            response = sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            sent.cancel(true);
            throw new IOException("no answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new IOException(reason(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException("HTTP " + response.statusCode() + " from " + response.uri() + ": "
                    + response.body().strip());
        }
    }

    /** The first message along the causes (the HTTP client's ConnectException has none of its own). */
    private static String reason(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return cause.getClass().getSimpleName() + ": " + cause.getMessage();
            }
        }
        return error instanceof java.net.ConnectException ? "Connection refused" : error.getClass().getSimpleName();
    }

    /**
     * {@code /metrics/job/JOB{/NAME/VALUE}} under the address's path; a value with a slash, or empty, goes in
     * the Pushgateway's base64 form ({@code NAME@base64/...}).
     */
    static URI groupUri(URL address, String job, Map<String, String> groupingKey) {
        StringBuilder path = new StringBuilder(address.toString().replaceAll("/+$", "")).append("/metrics");
        segment(path, "job", job);
        groupingKey.forEach((name, value) -> segment(path, name, value));
        return URI.create(path.toString());
    }

    private static void segment(StringBuilder path, String name, String value) {
        if (value.isEmpty() || value.contains("/")) {
            path.append('/').append(name).append("@base64/").append(value.isEmpty() ? "="
                    : Base64.getUrlEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
        } else {
            path.append('/').append(name).append('/')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
        }
    }
}
