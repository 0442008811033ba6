import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A real Prometheus (Debian prometheus) on a free loopback port with a generated config, stopped on close. */
final class Prometheus implements AutoCloseable {
    private final Process process;
    private final Path log;
    final int port;

    private Prometheus(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static Prometheus start(Path workDirectory, String config) throws Exception {
        String binary = Commands.require("prometheus", "prometheus");
        int port = Project.freePort();
        Path configFile = workDirectory.resolve("prometheus.yml");
        Files.writeString(configFile, config);
        Path log = workDirectory.resolve("prometheus.log");
        Process process = new ProcessBuilder(binary, "--config.file=" + configFile,
                "--storage.tsdb.path=" + workDirectory.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Prometheus prometheus = new Prometheus(process, log, port);
        prometheus.awaitReady();
        return prometheus;
    }

    /** The result vector of an instant query. */
    JsonArray query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + port + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        return JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonObject("data").getAsJsonArray("result");
    }

    /** The active targets as Prometheus reports them (for failure messages). */
    String targets() throws IOException, InterruptedException {
        return ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/targets")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("prometheus exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready"))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        fail("prometheus did not become ready:\n" + Files.readString(log));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    static List<String> lines(String... lines) {
        return List.of(lines);
    }
}
