import io.javalin.Javalin;
import java.time.Duration;
import org.eclipse.jetty.server.AbstractNetworkConnector;
import org.eclipse.jetty.server.Connector;

/** SIGTERM: stop accepting, let runs in flight finish within their deadline, kill what is left, stop. */
final class GracefulStop {
    private static final Duration GRACE = Duration.ofSeconds(1);

    private GracefulStop() {
    }

    static void stop(Javalin app, ServerApp api, ExporterRunner runner, Duration timeout) throws InterruptedException {
        for (Connector connector : app.jettyServer().server().getConnectors()) {
            if (connector instanceof AbstractNetworkConnector network) {
                network.setAccepting(false);
            }
        }
        long deadline = System.nanoTime() + timeout.plus(GRACE).toNanos();
        while (api.inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        int stopped = runner.killAll();
        if (stopped > 0) {
            System.out.println("server: stopped " + stopped + " exporter process(es): warm workers and runs past the grace period");
        }
        app.stop();
    }
}
