import java.time.Duration;
import java.util.Map;

/** The server's settings, from the environment, checked at start: a bad value stops it with a clear message. */
record ServerConfig(String host, int port, int workers, Duration timeout, java.util.Map<String, String> modes,
        int workerMaxRuns, int workerMaxMegabytes) {
    static final int DEFAULT_PORT = 80;
    static final int DEFAULT_WORKERS = 2;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(59);

    static ServerConfig fromEnvironment(Map<String, String> env) {
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
        return new ServerConfig(host, port, workers, timeout, modes(env.getOrDefault("EXPORTER_MODES", "")),
                integer(env, "WORKER_MAX_RUNS", 10_000, 1, Integer.MAX_VALUE),
                integer(env, "WORKER_MAX_MB", 384, 32, 1 << 20));
    }

    /** Defaults: warm workers, fresh processes where an exporter's script asks for them. */
    ServerConfig(String host, int port, int workers, Duration timeout) {
        this(host, port, workers, timeout, java.util.Map.of(), 10_000, 384);
    }

    /** {@code EXPORTER_MODES=cisco=fresh,dummy=warm}: the server's override of an exporter's own choice. */
    private static java.util.Map<String, String> modes(String text) {
        java.util.Map<String, String> modes = new java.util.TreeMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] pair = entry.strip().split("=", 2);
            if (pair.length != 2 || !ExporterLocator.isValidName(pair[0])
                    || !(pair[1].equals("warm") || pair[1].equals("fresh"))) {
                throw new IllegalArgumentException("EXPORTER_MODES must be NAME=warm|fresh, comma-separated, got '"
                        + entry.strip() + "'");
            }
            modes.put(pair[0], pair[1]);
        }
        return java.util.Map.copyOf(modes);
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
