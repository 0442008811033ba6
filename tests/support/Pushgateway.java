import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A real Pushgateway (Debian prometheus-pushgateway) on a free loopback port, stopped on close. */
final class Pushgateway implements AutoCloseable {
    private final Process process;
    final int port;

    private Pushgateway(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static Pushgateway start(Path workDirectory) throws Exception {
        return start(workDirectory, null);
    }

    /** With basic auth from a web config file; {@code authorization} is the header to probe readiness with. */
    static Pushgateway startWithAuth(Path workDirectory, Path webConfig, String authorization) throws Exception {
        return start(workDirectory, authorization, "--web.config.file=" + webConfig);
    }

    private static Pushgateway start(Path workDirectory, String authorization, String... extraArgs) throws Exception {
        String binary = Commands.require("prometheus-pushgateway", "prometheus-pushgateway");
        int port = Project.freePort();
        List<String> command = new ArrayList<>(List.of(binary, "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn"));
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command).directory(workDirectory.toFile())
                .redirectErrorStream(true).redirectOutput(workDirectory.resolve("pushgateway.log").toFile()).start();
        Pushgateway gateway = new Pushgateway(process, port);
        gateway.awaitReady(authorization);
        return gateway;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    /** The Pushgateway's own exposition: pushed series appear here with their job and grouping labels. */
    String metrics(String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + address() + "/metrics"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            fail("Pushgateway /metrics answered " + response.statusCode());
        }
        return response.body();
    }

    String metrics() throws IOException, InterruptedException {
        return metrics(null);
    }

    private void awaitReady(String authorization) throws InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("the Pushgateway exited with " + process.exitValue());
            }
            try {
                HttpRequest.Builder probe = HttpRequest.newBuilder(URI.create("http://" + address() + "/-/ready"));
                if (authorization != null) {
                    probe.header("Authorization", authorization);
                }
                HttpResponse<Void> response = client.send(probe.build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        fail("the Pushgateway did not become ready on " + address());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
