import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * The server's builds of its exporters, in the background and one at a time (JBang and javac on a small machine
 * are better one after the other): those a request waits for first, then those asked for at start. A request
 * never waits for a build beyond its deadline: it gets the build's future. A build is done again when a source's
 * size or time changed (looked at once a second at most: a scrape does not pay a stat per source); a failed
 * one, when a file beside the script changed since it failed.
 */
final class Builds {
    /** Where an exporter's build stands, for readiness and the operator's pages. */
    enum State { BUILDING, BUILT, FAILED }

    record Status(State state, String message) {
    }

    private record Entry(String exporter, CompletableFuture<BuiltExporter> future, List<Path> watched,
            List<String> stamps, java.util.concurrent.atomic.AtomicLong checkedNanos) {
        Entry(String exporter, CompletableFuture<BuiltExporter> future, List<Path> watched, List<String> stamps) {
            this(exporter, future, watched, stamps, new java.util.concurrent.atomic.AtomicLong(System.nanoTime()));
        }

        /** Built (or failed) and no source changed; the sources are looked at once a second at most. */
        boolean current() {
            if (!future.isDone()) {
                return false;
            }
            long checked = checkedNanos.get();
            if (System.nanoTime() - checked < CHECK_INTERVAL_NANOS) {
                return true;
            }
            boolean unchanged = stamps.equals(Builds.stamps(watched));
            if (unchanged) {
                checkedNanos.compareAndSet(checked, System.nanoTime());
            }
            return unchanged;
        }
    }

    private static final long CHECK_INTERVAL_NANOS = 1_000_000_000L;

    /** How an exporter is built: BuildCache::resolve (JBang, cached), or a fake in tests. */
    @FunctionalInterface
    interface Builder {
        BuiltExporter build(Path source, java.util.function.Consumer<String> progress)
                throws IOException, InterruptedException;
    }

    private final Builder cache;
    private final ExecutorService builder = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "builds");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<Path, Entry> entries = new ConcurrentHashMap<>();
    /** Builds not started yet, the next first (guarded by this). */
    private final Deque<Path> queue = new ArrayDeque<>();

    Builds(Builder cache) {
        this.cache = cache;
    }

    /** The exporter's build for a request: done already, going on, or next. */
    CompletableFuture<BuiltExporter> get(String exporter, Path source) {
        return build(exporter, source, true);
    }

    /** The same, behind every other build (at start, for every exporter present). */
    CompletableFuture<BuiltExporter> prepare(String exporter, Path source) {
        return build(exporter, source, false);
    }

    private CompletableFuture<BuiltExporter> build(String exporter, Path source, boolean urgent) {
        Entry entry = entries.get(source);
        if (entry != null && entry.current()) {
            return entry.future();
        }
        synchronized (this) {
            Entry again = entries.get(source);
            if (again != null && !again.future().isDone()) {
                if (urgent && queue.remove(source)) {
                    queue.addFirst(source);
                }
                return again.future();
            }
            if (again != entry) {
                return again.future();
            }
            CompletableFuture<BuiltExporter> future = new CompletableFuture<>();
            entries.put(source, new Entry(exporter, future, List.of(source), List.of()));
            if (urgent) {
                queue.addFirst(source);
            } else {
                queue.addLast(source);
            }
            builder.execute(this::buildNext);
            return future;
        }
    }

    /** One task per build asked for; each takes whichever build is first in the queue then. */
    private void buildNext() {
        Path source;
        Entry entry;
        synchronized (this) {
            source = queue.pollFirst();
            if (source == null) {
                return;
            }
            entry = entries.get(source);
        }
        build(entry.exporter(), source, entry.future());
    }

    private void build(String exporter, Path source, CompletableFuture<BuiltExporter> future) {
        long start = System.nanoTime();
        boolean[] built = {false};
        try {
            BuiltExporter result = cache.build(source, step -> {
                built[0] = true;
                System.out.println("server: " + exporter + ": " + step);
            });
            entries.put(source, new Entry(exporter, future, result.sources(), stamps(result.sources())));
            if (built[0]) {
                System.out.printf(java.util.Locale.ROOT, "server: %s: built in %.1f s%n", exporter,
                        (System.nanoTime() - start) / 1e9);
            }
            future.complete(result);
        } catch (IOException | RuntimeException e) {
            List<Path> beside = besideScript(source);
            entries.put(source, new Entry(exporter, future, beside, stamps(beside)));
            System.err.println("server: exporter '" + exporter + "' cannot be built: " + e.getMessage());
            future.completeExceptionally(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.completeExceptionally(e);
        }
    }

    /** Where each exporter whose build was asked for stands, by name. */
    Map<String, Status> statuses() {
        Map<String, Status> statuses = new TreeMap<>();
        for (Entry entry : entries.values()) {
            CompletableFuture<BuiltExporter> future = entry.future();
            if (!future.isDone()) {
                statuses.put(entry.exporter(), new Status(State.BUILDING, "building"));
            } else if (future.isCompletedExceptionally()) {
                statuses.put(entry.exporter(), new Status(State.FAILED, failure(future)));
            } else {
                statuses.put(entry.exporter(), new Status(State.BUILT, future.join().mode().label()));
            }
        }
        return statuses;
    }

    static String failure(CompletableFuture<?> future) {
        try {
            future.join();
            return "";
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause() == null ? e.toString() : e.getCause().getMessage();
        }
    }

    /** Stops a build that is going on (at shutdown; JBang's own children are stopped by the caller). */
    void close() {
        builder.shutdownNow();
    }

    /** The script and the files beside it: a failed build may be fixed in any of them. */
    private static List<Path> besideScript(Path source) {
        List<Path> files = new ArrayList<>(List.of(source));
        try (Stream<Path> beside = Files.list(source.getParent())) {
            beside.filter(path -> path.toString().endsWith(".java") && !path.equals(source)).sorted().forEach(files::add);
        } catch (IOException e) {
            // the script alone, then
        }
        return files;
    }

    /** Size and modification time of each file: a change sends the exporter back to JBang. */
    private static List<String> stamps(List<Path> files) {
        List<String> stamps = new ArrayList<>(files.size());
        for (Path file : files) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                stamps.add(attributes.size() + "@" + attributes.lastModifiedTime().toMillis());
            } catch (IOException e) {
                stamps.add("missing");
            }
        }
        return stamps;
    }
}
