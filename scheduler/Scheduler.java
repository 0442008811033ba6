import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Takes the server's exporter runs: admits each (at most MAX_CONCURRENT_RUNS in flight, else 503 at once),
 * holds it to its deadline whatever happens (building, waiting, running: the answer comes by then), and passes it
 * to its exporter's {@link WorkerPool} once the exporter is built. Nothing here blocks a request's thread.
 */
final class Scheduler implements ExporterRuns {
    private final ExporterLocator locator;
    private final Builds builds;
    private final ServerSettings settings;
    private final ServerMetrics metrics;
    private final WorkerSockets sockets;
    private final WorkerPool.Limits limits;
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon("deadlines"));
    /** Starts and kills workers, and turns answers into HTTP (see {@link #submit}). */
    private final ExecutorService background = Executors.newCachedThreadPool(daemon("scheduler"));
    private final Map<String, WorkerPool> pools = new ConcurrentHashMap<>();
    private final Map<String, Located> located = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile boolean stopping;

    Scheduler(ExporterLocator locator, Builds builds, ServerSettings settings, ServerMetrics metrics,
            WorkerSockets sockets) {
        this.locator = locator;
        this.builds = builds;
        this.settings = settings;
        this.metrics = metrics;
        this.sockets = sockets;
        this.limits = new WorkerPool.Limits(settings.workers(), settings.workerMaxRuns(),
                settings.workerMaxMegabytes() * 1024L * 1024L, TimeUnit.MINUTES.toNanos(10), TimeUnit.SECONDS.toNanos(2),
                TimeUnit.SECONDS.toNanos(60), settings.timeout().toNanos());
        timer.setRemoveOnCancelPolicy(true); // a run answered early leaves no task (nor its answer) behind
        timer.scheduleWithFixedDelay(this::retireIdleWorkers, 1, 1, TimeUnit.MINUTES);
        metrics.runsInFlight(inFlight::get, settings.maxConcurrentRuns());
    }

    @Override
    public CompletableFuture<RunResult> submit(RunRequest request, long deadlineNanos) {
        String exporter = request.exporter();
        if (stopping) {
            return CompletableFuture.completedFuture(new RunResult.Stopping());
        }
        Optional<Path> source = find(exporter);
        if (source.isEmpty()) {
            return CompletableFuture.completedFuture(new RunResult.NotFound(exporter));
        }
        if (inFlight.incrementAndGet() > settings.maxConcurrentRuns()) {
            inFlight.decrementAndGet();
            return CompletableFuture.completedFuture(new RunResult.Overloaded(settings.maxConcurrentRuns()));
        }
        long now = System.nanoTime();
        Run run = new Run(ids.incrementAndGet(), request, now, deadlineNanos, inFlight::decrementAndGet);
        ScheduledFuture<?> deadline = timer.schedule(() -> expire(run), deadlineNanos - now, TimeUnit.NANOSECONDS);
        run.answer().whenComplete((result, error) -> deadline.cancel(false));
        builds.get(exporter, source.get()).whenComplete((built, error) -> {
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                run.answer(new RunResult.BuildFailed(String.valueOf(cause.getMessage())));
                run.end();
            } else {
                pool(request).dispatch(run, built, settings.modes().getOrDefault(exporter, built.mode()),
                        request.environment());
            }
        });
        // a run is answered under its pool's lock (by a worker's reader, or at its deadline): writing the response
        // there would hold up every other run of the exporter
        return run.answer().thenApplyAsync(result -> result, background);
    }

    /** Where exporter {@code name} is: the search path is looked through once a second at most per name. */
    private Optional<Path> find(String name) {
        Located known = located.get(name);
        long now = System.nanoTime();
        if (known != null && now - known.nanos() < TimeUnit.SECONDS.toNanos(1)) {
            return known.source();
        }
        Optional<Path> source = locator.find(name);
        if (source.isPresent() || located.size() < 1024) { // names that are not there: a bounded few
            located.put(name, new Located(source, now));
        }
        return source;
    }

    private record Located(Optional<Path> source, long nanos) {
    }

    /** The run's deadline: answered now, wherever it is. */
    private void expire(Run run) {
        WorkerPool pool = run.pool;
        if (pool != null) {
            pool.expire(run);
        } else if (run.answer(new RunResult.StillBuilding(run.secondsSinceAdmitted()))) {
            run.end();
        }
    }

    @Override
    public Map<String, Path> exporters() {
        return locator.all();
    }

    @Override
    public Map<String, Builds.Status> builds() {
        return builds.statuses();
    }

    @Override
    public CompletableFuture<BuiltExporter> build(String exporter) {
        return locator.find(exporter).map(source -> builds.get(exporter, source)).orElseGet(() ->
                CompletableFuture.failedFuture(new IllegalArgumentException("no exporter named '" + exporter + "'")));
    }

    /** Starts a build of every exporter present, in the background, so first requests find them built. */
    void prepareAll() {
        locator.all().forEach(builds::prepare);
    }

    private WorkerPool pool(RunRequest request) {
        return pools.computeIfAbsent(request.poolKey(), key -> new WorkerPool(request.exporter(), request.module(), limits,
                metrics, sockets, background, timer));
    }

    private void retireIdleWorkers() {
        pools.values().forEach(WorkerPool::retireIdle);
    }

    int inFlight() {
        return inFlight.get();
    }

    /** No new runs from now on. */
    void beginStopping() {
        stopping = true;
    }

    /** Kills every worker, busy or not (at shutdown, once runs in flight had their chance); how many there were. */
    int close() throws InterruptedException {
        builds.close();
        List<Future<?>> kills = new ArrayList<>();
        for (WorkerPool pool : pools.values()) {
            for (WorkerConnection worker : pool.close()) {
                kills.add(background.submit(worker::kill));
            }
        }
        for (Future<?> kill : kills) {
            try {
                kill.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                System.err.println("server: a worker could not be stopped: " + e);
            }
        }
        timer.shutdownNow();
        return kills.size();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
