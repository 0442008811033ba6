import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a request's query string into exporter arguments, in order: {@code ?target=sw1} and
 * {@code ?--target=sw1} give {@code --target=sw1}; an empty value gives the bare flag {@code --target}.
 * The joined {@code --key=value} form means a value is never read as an option of its own.
 * Anything else is refused with a message naming the bad parameter; nothing is dropped silently.
 */
final class QueryArguments {
    static final Pattern VALUE = Pattern.compile("^[a-zA-Z0-9\\-_.,:]+$");
    /** An option's name: dashes, then a letter or digit first (so never "--" alone, which ends options). */
    static final Pattern NAME = Pattern.compile("^-{0,2}[a-zA-Z0-9][a-zA-Z0-9\\-_.,:]*$");
    static final int MAX_QUERY_LENGTH = 4096;
    static final int MAX_PARAMETERS = 64;
    /** The harness's own options: where the output goes, and help, are the server's business, not the client's. */
    private static final Set<String> RESERVED = Set.of("output-filename", "no-print", "pushgateway-address",
            "grouping-key", "help", "h");

    /** The parsed query: the exporter's arguments and whether the server's {@code debug} parameter was given. */
    record Parsed(List<String> arguments, boolean debug) {
    }

    static final class BadParameter extends Exception {
        BadParameter(String message) {
            super(message);
        }
    }

    private QueryArguments() {
    }

    static Parsed parse(String rawQuery) throws BadParameter {
        List<String> arguments = new ArrayList<>();
        boolean debug = false;
        if (rawQuery == null || rawQuery.isEmpty()) {
            return new Parsed(arguments, false);
        }
        if (rawQuery.length() > MAX_QUERY_LENGTH) {
            throw new BadParameter("query string too long: " + rawQuery.length() + " characters, at most "
                    + MAX_QUERY_LENGTH);
        }
        String[] pairs = rawQuery.split("&", -1);
        if (pairs.length > MAX_PARAMETERS) {
            throw new BadParameter("too many query parameters: " + pairs.length + ", at most " + MAX_PARAMETERS);
        }
        for (String pair : pairs) {
            int equals = pair.indexOf('=');
            String key = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (key.equals("debug")) {
                debug = true;
                continue;
            }
            if (!NAME.matcher(key).matches()) {
                throw new BadParameter("bad query parameter name " + quote(key) + ": it must match " + NAME);
            }
            if (!value.isEmpty() && !VALUE.matcher(value).matches()) {
                throw new BadParameter("bad value for query parameter " + quote(key) + ": it must match " + VALUE);
            }
            String option = key.startsWith("-") ? key : "--" + key;
            String bare = option.replaceFirst("^-+", "");
            if (RESERVED.contains(bare) || RESERVED.contains(bare.replaceFirst("-+$", ""))) {
                throw new BadParameter("query parameter " + quote(key) + " is reserved for the server");
            }
            arguments.add(value.isEmpty() ? option : option + "=" + value);
        }
        return new Parsed(arguments, debug);
    }

    /** An option the server keeps to itself (the run harness's output options and help), named without dashes. */
    static boolean reserved(String bareName) {
        return RESERVED.contains(bareName);
    }

    private static String decode(String text) throws BadParameter {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadParameter("bad percent-encoding in query parameter " + quote(text));
        }
    }

    /** A parameter as it can safely be shown: printable ASCII, the rest escaped, cut when long. */
    static String quote(String text) {
        StringBuilder shown = new StringBuilder("'");
        for (int i = 0; i < text.length() && i < 64; i++) {
            char c = text.charAt(i);
            shown.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return shown.append(text.length() > 64 ? "...'" : "'").toString();
    }
}
