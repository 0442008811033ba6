import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** The server's settings, from the environment, checked at start: a bad value stops it with a clear message. */
record ServerSettings(String host, int port, int workers, Duration timeout, Map<String, BuiltExporter.Mode> modes,
        int workerMaxRuns, int workerMaxMegabytes, int maxConcurrentRuns, int runHistory) {
    static final int DEFAULT_PORT = 80;
    static final int DEFAULT_WORKERS = 2;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(59);
    static final int DEFAULT_MAX_CONCURRENT_RUNS = 128;
    /** Runs the pages keep (http/RunHistory.java); each keeps at most about 20 KiB, so the most is about 20 MiB. */
    static final int DEFAULT_RUN_HISTORY = 100;
    static final int MAX_RUN_HISTORY = 1000;

    static ServerSettings fromEnvironment(Map<String, String> env) {
        String host = env.getOrDefault("HOST", "0.0.0.0").strip();
        if (host.isEmpty()) {
            throw new IllegalArgumentException("HOST must be an address to bind to, got an empty value");
        }
        int port = integer(env, "PORT", DEFAULT_PORT, 0, 65535);
        int workers = integer(env, "WORKERS", DEFAULT_WORKERS, 1, 1024);
        String timeoutText = env.get("TIMEOUT");
        Duration timeout = DEFAULT_TIMEOUT;
        if (timeoutText != null) {
            double seconds;
            try {
                seconds = Double.parseDouble(timeoutText.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("TIMEOUT must be a number of seconds, got '" + timeoutText + "'");
            }
            if (!(seconds > 0 && seconds <= 86400)) {
                throw new IllegalArgumentException("TIMEOUT must be more than 0 and at most 86400 seconds, got '"
                        + timeoutText + "'");
            }
            timeout = Duration.ofMillis(Math.round(seconds * 1000));
        }
        return new ServerSettings(host, port, workers, timeout, modes(env.getOrDefault("EXPORTER_MODES", "")),
                integer(env, "WORKER_MAX_RUNS", 1_000_000, 1, Integer.MAX_VALUE),
                integer(env, "WORKER_MAX_MB", 384, 32, 1 << 20),
                integer(env, "MAX_CONCURRENT_RUNS", DEFAULT_MAX_CONCURRENT_RUNS, 1, 100_000),
                integer(env, "RUN_HISTORY", DEFAULT_RUN_HISTORY, 0, MAX_RUN_HISTORY));
    }

    /** {@code EXPORTER_MODES=cisco=fresh,dummy=serial}: the server's override of an exporter's own choice. */
    private static Map<String, BuiltExporter.Mode> modes(String text) {
        Map<String, BuiltExporter.Mode> modes = new TreeMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] pair = entry.strip().split("=", 2);
            try {
                if (pair.length != 2 || !ExporterLocator.isValidName(pair[0])) {
                    throw new IllegalArgumentException("");
                }
                modes.put(pair[0], BuiltExporter.Mode.of(pair[1]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("EXPORTER_MODES must be NAME=warm|serial|fresh, comma-separated, got '"
                        + entry.strip() + "'");
            }
        }
        return Map.copyOf(modes);
    }

    private static int integer(Map<String, String> env, String name, int fallback, int min, int max) {
        String text = env.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + ", got '"
                + text + "'");
    }
}
