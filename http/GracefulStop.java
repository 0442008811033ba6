import io.javalin.Javalin;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.AbstractNetworkConnector;
import org.eclipse.jetty.server.Connector;

/** SIGTERM: stop accepting, let runs in flight finish within their deadline, kill what is left, stop. */
final class GracefulStop {
    private static final Duration GRACE = Duration.ofSeconds(1);

    private GracefulStop() {
    }

    static void stop(Javalin app, HttpApi api, Scheduler scheduler, Duration timeout) throws InterruptedException {
        for (Connector connector : app.jettyServer().server().getConnectors()) {
            if (connector instanceof AbstractNetworkConnector network) {
                network.setAccepting(false);
            }
        }
        scheduler.beginStopping();
        long deadline = System.nanoTime() + timeout.plus(GRACE).toNanos();
        while (api.inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        int stopped = scheduler.close();
        if (stopped > 0) {
            System.out.println("server: stopped " + stopped + " worker JVM(s)");
        }
        int others = stopDescendants();
        if (others > 0) {
            System.out.println("server: stopped " + others + " other process(es): exporter builds (JBang) not finished");
        }
        app.stop();
    }

    /**
     * Whatever else the server started and still runs, JBang building an exporter: SIGTERM, then SIGKILL after
     * {@link #GRACE}; waits until each has ended, so none outlives the server.
     */
    static int stopDescendants() throws InterruptedException {
        List<ProcessHandle> left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
        left.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (ProcessHandle process : left) {
            awaitExit(process, deadline - System.nanoTime());
            if (process.isAlive()) {
                process.destroyForcibly();
                awaitExit(process, GRACE.toNanos());
            }
        }
        return left.size();
    }

    private static void awaitExit(ProcessHandle process, long nanos) throws InterruptedException {
        try {
            process.onExit().get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // still running: the caller decides
        }
    }
}
