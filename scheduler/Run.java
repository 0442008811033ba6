import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request's run, from admission to its end: answered once (by its result, or at its deadline), and ended
 * once, when nothing of it is left in a worker; the end gives its place back to the server's limit.
 */
final class Run {
    /** Where it is: waiting for its build, in its pool's queue, or in a worker. */
    enum Phase { BUILDING, WAITING, RUNNING }

    final int id;
    final RunRequest request;
    final long admittedNanos;
    final long deadlineNanos;
    private final CompletableFuture<RunResult> answer = new CompletableFuture<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Runnable onEnd;
    volatile Phase phase = Phase.BUILDING;
    /** Set when its build is done and it goes to its pool. */
    volatile WorkerPool pool;
    /** Set (under the pool's lock) when it is sent to a worker. */
    WorkerConnection worker;
    /** What the run had printed when its worker called System.exit (set under the pool's lock). */
    WorkerProtocol.Result lastWords;

    Run(int id, RunRequest request, long admittedNanos, long deadlineNanos, Runnable onEnd) {
        this.id = id;
        this.request = request;
        this.admittedNanos = admittedNanos;
        this.deadlineNanos = deadlineNanos;
        this.onEnd = onEnd;
    }

    CompletableFuture<RunResult> answer() {
        return answer;
    }

    /** Answers the request, unless it was answered already; true when this call answered it. */
    boolean answer(RunResult result) {
        return answer.complete(result);
    }

    boolean answered() {
        return answer.isDone();
    }

    /** Nothing of the run is left anywhere (idempotent). */
    void end() {
        if (ended.compareAndSet(false, true)) {
            onEnd.run();
        }
    }

    double secondsSinceAdmitted() {
        return (System.nanoTime() - admittedNanos) / 1e9;
    }
}
