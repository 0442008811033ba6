import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An exporter's options for its page, from its picocli model. The server does not load exporter classes: they live
 * in worker JVMs with class paths of their own, and their static code is the exporter's to run, not the server's.
 * So a JVM of the exporter's build runs {@code WorkerMain --describe CLASS} (exporters/worker/WorkerMain.java) once
 * per build, with an empty environment (a default or description taken from {@code ${env:X}} then shows its
 * fallback, never a secret of the server's), killed after {@link #TIMEOUT}; what it printed is kept for that build
 * (its fingerprint), one entry per exporter. A describe that timed out or could not start is tried again on the next
 * page; one that failed is not, until the build changes.
 */
final class ExporterOptions {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int MAX_OUTPUT = 1 << 20;

    /** One option as {@code --help} would show it. */
    record Option(List<String> names, String paramLabel, String description, String defaultValue, boolean required,
            String arity, String type, boolean repeatable) {
        /** The name a query uses: the longest (so {@code --target}, not {@code -t}). */
        String name() {
            String longest = names.get(0);
            for (String name : names) {
                longest = name.length() > longest.length() ? name : longest;
            }
            return longest;
        }

        /** Without dashes, as the query and the configuration file name it. */
        String bareName() {
            return name().replaceFirst("^-+", "");
        }

        /** A flag takes no value ({@code --debug}). */
        boolean flag() {
            return arity.equals("0");
        }

        /** The default worth showing: none for a flag's false, an empty list, or nothing declared. */
        String shownDefault() {
            if (defaultValue == null || defaultValue.isEmpty() || defaultValue.equals("null") || defaultValue.equals("[]")
                    || defaultValue.equals("{}") || flag() && defaultValue.equals("false")) {
                return "";
            }
            return defaultValue;
        }
    }

    /** Reads an exporter's options from its build (a fake in route tests). */
    @FunctionalInterface
    interface Reader {
        CompletableFuture<List<Option>> read(String exporter, BuiltExporter built);
    }

    /** The describe JVM could not say (it failed, timed out, printed no JSON): the page shows why. */
    static final class Unreadable extends RuntimeException {
        final boolean again;

        Unreadable(String message, boolean again) {
            super(message, null, false, false);
            this.again = again;
        }
    }

    private record Cached(String fingerprint, CompletableFuture<List<Option>> options) {
    }

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "describe");
        thread.setDaemon(true);
        return thread;
    });

    /** The options of this build of the exporter: read once, then from memory. */
    CompletableFuture<List<Option>> read(String exporter, BuiltExporter built) {
        return cache.compute(exporter, (name, cached) -> cached != null && java.util.Objects.equals(cached.fingerprint(), built.fingerprint())
                && !triedInVain(cached.options()) ? cached
                : new Cached(built.fingerprint(), CompletableFuture.supplyAsync(() -> describe(built), executor)))
                .options();
    }

    private static boolean triedInVain(CompletableFuture<List<Option>> options) {
        if (!options.isCompletedExceptionally()) {
            return false;
        }
        try {
            options.join();
            return false;
        } catch (CompletionException e) {
            return !(e.getCause() instanceof Unreadable unreadable) || unreadable.again;
        }
    }

    /** Runs the describe JVM and reads what it printed. */
    List<Option> describe(BuiltExporter built) {
        ProcessBuilder builder = new ProcessBuilder(built.describeCommand());
        builder.environment().clear();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new Unreadable("cannot start " + built.java() + ": " + e.getMessage(), true);
        }
        try {
            process.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()), executor);
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()), executor);
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new Unreadable("WorkerMain --describe took more than " + TIMEOUT.toSeconds() + " s", true);
            }
            String stdout = out.get(5, TimeUnit.SECONDS);
            if (process.exitValue() != 0) {
                throw new Unreadable("WorkerMain --describe " + built.mainClass() + " failed (exit " + process.exitValue()
                        + "):\n" + RunHistory.clip(err.get(5, TimeUnit.SECONDS), 3000, 1000), false);
            }
            return parse(stdout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreadable("interrupted", true);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | IOException e) {
            throw new Unreadable("cannot read what WorkerMain --describe printed: " + e, true);
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** The options from the last line of JSON (an exporter's constructor may have printed before it). */
    static List<Option> parse(String stdout) {
        String line = stdout.lines().filter(each -> each.startsWith("{")).reduce((first, second) -> second)
                .orElseThrow(() -> new Unreadable("WorkerMain --describe printed no options:\n"
                        + RunHistory.clip(stdout, 1000, 500), false));
        List<Option> options = new ArrayList<>();
        try {
            for (JsonElement element : JsonParser.parseString(line).getAsJsonObject().getAsJsonArray("options")) {
                JsonObject option = element.getAsJsonObject();
                List<String> names = new ArrayList<>();
                for (JsonElement name : option.getAsJsonArray("names")) {
                    names.add(name.getAsString());
                }
                options.add(new Option(List.copyOf(names), string(option, "paramLabel"), string(option, "description"),
                        option.get("default").isJsonNull() ? null : string(option, "default"),
                        option.get("required").getAsBoolean(), string(option, "arity"), string(option, "type"),
                        option.get("repeatable").getAsBoolean()));
            }
        } catch (RuntimeException e) { // not JSON, or not the shape WorkerMain prints (a missing or mistyped field)
            throw new Unreadable("WorkerMain --describe printed something else than its JSON: " + e.getMessage(), false);
        }
        return List.copyOf(options);
    }

    private static String string(JsonObject object, String name) {
        JsonElement value = object.get(name);
        return value == null || value.isJsonNull() ? "" : value.getAsString();
    }

    private static String read(InputStream stream) {
        try (stream) {
            byte[] bytes = stream.readNBytes(MAX_OUTPUT);
            stream.transferTo(java.io.OutputStream.nullOutputStream());
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
