import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The last {@code RUN_HISTORY} exporter requests, for the pages (as blackbox_exporter keeps its recent probes): what
 * ran, how it ended, and a cut of what it printed. Bounded twice: the oldest run goes when a new one comes, and each
 * run keeps at most about 20 KiB of text (the head and tail of stderr and stdout, the first lines of its metrics), so
 * a run's 16 MiB of metrics or 1 MiB of stderr is not held past its answer. Arguments are kept with the values of
 * options whose names look secret masked; a module's environment is never kept.
 */
final class RunHistory {
    static final String HIDDEN = "<hidden>";
    /**
     * Options whose values are masked: any name containing one of these words ({@code --community}, {@code
     * --auth-password}, {@code --api-key}, {@code --token-file}). It masks too much rather than too little
     * ({@code --auth-protocol}'s value too); a short option ({@code -c x}) cannot be told apart and is shown.
     */
    static final Pattern SECRET_OPTION = Pattern.compile(
            "community|password|passwd|passphrase|secret|token|key|auth|credential|cookie|session",
            Pattern.CASE_INSENSITIVE);
    /** Shorter secret values are hidden in the arguments only: hiding "ab" in stderr would garble it. */
    static final int MIN_HIDDEN_LENGTH = 4;
    static final int STDERR_HEAD = 6 * 1024;
    static final int STDERR_TAIL = 2 * 1024;
    static final int STDOUT_HEAD = 3 * 1024;
    static final int STDOUT_TAIL = 1024;
    static final int MESSAGE_HEAD = 3 * 1024;
    static final int MESSAGE_TAIL = 1024;
    static final int METRICS_LINES = 30;
    static final int METRICS_CHARS = 4 * 1024;

    /**
     * One run as the pages show it: when its request came, what it asked for (arguments masked), the HTTP status it
     * got and a word for how it ended, how long it took, and what it printed (exit code null: it did not finish).
     */
    record Entry(long id, Instant time, String exporter, String module, List<String> arguments, int status,
            String outcome, double seconds, Integer exitCode, String message, String stderr, String stdout,
            String metrics) {
        boolean succeeded() {
            return status == 200;
        }
    }

    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private long lastId;

    RunHistory(int capacity) {
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    /** Keeps a run that got an answer; {@code answer} is what its request was told. Returns its id (0: not kept). */
    long record(RunRequest request, Instant time, double seconds, RunResult result, Answers.Answer answer) {
        if (capacity == 0 || result instanceof RunResult.NotFound) { // a name that does not exist is nobody's run
            return 0;
        }
        String message = "";
        Integer exitCode = null;
        String stderr = "";
        String stdout = "";
        String metrics = "";
        List<String> secrets = secretValues(request.arguments());
        if (result instanceof RunResult.Finished finished) {
            exitCode = finished.exitCode();
            stderr = clip(hide(finished.stderr(), secrets), STDERR_HEAD, STDERR_TAIL);
            stdout = clip(hide(finished.stdout(), secrets), STDOUT_HEAD, STDOUT_TAIL);
            metrics = hide(firstLines(finished.metrics(), METRICS_LINES, METRICS_CHARS), secrets);
        } else {
            message = clip(hide(answer.body(), secrets), MESSAGE_HEAD, MESSAGE_TAIL);
        }
        return add(request, time, seconds, answer.status(), outcome(result), exitCode, message, stderr, stdout, metrics);
    }

    /** Keeps a run whose request met an unexpected error in the server (answered 500). */
    long recordError(RunRequest request, Instant time, double seconds, Throwable error) {
        if (capacity == 0) {
            return 0;
        }
        return add(request, time, seconds, 500, "internal error", null, clip(hide(String.valueOf(error),
                secretValues(request.arguments())), MESSAGE_HEAD, MESSAGE_TAIL), "", "", "");
    }

    private synchronized long add(RunRequest request, Instant time, double seconds, int status, String outcome,
            Integer exitCode, String message, String stderr, String stdout, String metrics) {
        long id = ++lastId;
        entries.addFirst(new Entry(id, time, request.exporter(), request.module(), mask(request.arguments()), status,
                outcome, seconds, exitCode, message, stderr, stdout, metrics));
        while (entries.size() > capacity) {
            entries.removeLast();
        }
        return id;
    }

    /** The runs kept, newest first. */
    synchronized List<Entry> recent() {
        return List.copyOf(entries);
    }

    synchronized Optional<Entry> find(long id) {
        for (Entry entry : entries) {
            if (entry.id() == id) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    /** How a run ended, in a word or two. */
    static String outcome(RunResult result) {
        if (result instanceof RunResult.Finished finished) {
            if (finished.exitCode() == ExitCodes.OK) {
                return finished.metrics() != null ? "ok" : "no metrics";
            }
            return (finished.exitCode() == ExitCodes.USAGE ? "bad options" : "failed") + " (exit " + finished.exitCode()
                    + ")";
        } else if (result instanceof RunResult.TimedOut) {
            return "timed out";
        } else if (result instanceof RunResult.StillBuilding) {
            return "still building";
        } else if (result instanceof RunResult.BuildFailed) {
            return "build failed";
        } else if (result instanceof RunResult.NoWorker) {
            return "no worker in time";
        } else if (result instanceof RunResult.WorkerFailed) {
            return "worker failed";
        } else if (result instanceof RunResult.Overloaded) {
            return "too many runs";
        } else if (result instanceof RunResult.Stopping) {
            return "shutting down";
        }
        return result.getClass().getSimpleName();
    }

    /**
     * The arguments with the values of secret-looking options ({@link #SECRET_OPTION}) replaced by {@link #HIDDEN}:
     * {@code --community=x} and {@code --community x} alike.
     */
    static List<String> mask(List<String> arguments) {
        List<String> masked = new ArrayList<>(arguments.size());
        boolean valueFollows = false;
        for (String argument : arguments) {
            if (valueFollows && !argument.startsWith("-")) {
                masked.add(HIDDEN);
                valueFollows = false;
                continue;
            }
            valueFollows = false;
            if (argument.startsWith("--") && isSecret(ServerConfigFile.optionName(argument))) {
                int equals = argument.indexOf('=');
                if (equals >= 0) {
                    masked.add(argument.substring(0, equals + 1) + HIDDEN);
                    continue;
                }
                valueFollows = true;
            }
            masked.add(argument);
        }
        return List.copyOf(masked);
    }

    /**
     * The values {@link #mask} hides, those of {@link #MIN_HIDDEN_LENGTH} characters or more: an exporter may print
     * them back (picocli's "Unknown option: '--community=x'"), and they are hidden there too.
     */
    static List<String> secretValues(List<String> arguments) {
        List<String> values = new ArrayList<>();
        List<String> masked = mask(arguments);
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            String shown = masked.get(i);
            if (!argument.equals(shown)) {
                String value = shown.equals(HIDDEN) ? argument : argument.substring(argument.indexOf('=') + 1);
                if (value.length() >= MIN_HIDDEN_LENGTH) {
                    values.add(value);
                }
            }
        }
        return values;
    }

    /** The text with each of the values replaced by {@link #HIDDEN}. */
    static String hide(String text, List<String> values) {
        if (text == null) {
            return null;
        }
        for (String value : values) {
            text = text.replace(value, HIDDEN);
        }
        return text;
    }

    static boolean isSecret(String optionName) {
        return SECRET_OPTION.matcher(optionName).find();
    }

    /** The text whole when short, else its first {@code head} and last {@code tail} characters around a note. */
    static String clip(String text, int head, int tail) {
        if (text == null) {
            return "";
        }
        if (text.length() <= head + tail + 64) {
            return text;
        }
        int start = Character.isLowSurrogate(text.charAt(head)) ? head - 1 : head;
        int end = text.length() - tail;
        end = Character.isLowSurrogate(text.charAt(end)) ? end - 1 : end;
        return text.substring(0, start) + String.format(Locale.ROOT, "%n[... %,d characters not kept ...]%n",
                end - start) + text.substring(end);
    }

    /** The first {@code lines} lines of the text, at most {@code chars} characters, and how much was left out. */
    static String firstLines(String text, int lines, int chars) {
        if (text == null) {
            return "";
        }
        int end = 0;
        int seen = 0;
        int limit = Math.min(text.length(), chars);
        while (end < limit && seen < lines) {
            if (text.charAt(end++) == '\n') {
                seen++;
            }
        }
        if (end >= text.length()) {
            return text;
        }
        if (Character.isLowSurrogate(text.charAt(end))) {
            end--;
        }
        return text.substring(0, end) + String.format(Locale.ROOT, "%s[... %,d more characters not kept]%n",
                text.charAt(end - 1) == '\n' ? "" : "\n", text.length() - end);
    }
}
