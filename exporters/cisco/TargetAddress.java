import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@code --target}: {@code HOST}, {@code HOST:PORT} or {@code [IPv6]:PORT}; {@code text} is the instance label. */
record TargetAddress(String text, String host, int port) {
    static final int DEFAULT_PORT = 161;
    private static final Pattern FORM = Pattern.compile(
            "(?:\\[(?<v6>[0-9A-Fa-f:.]+)\\]|(?<host>[A-Za-z0-9._-]+)|(?<bare6>[0-9A-Fa-f]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*))"
                    + "(?::(?<port>\\d{1,5}))?");

    /** Parses {@code text}; a bare IPv6 address (two colons or more) has no port. */
    static TargetAddress parse(String text) {
        String trimmed = text.strip();
        Matcher m = FORM.matcher(trimmed);
        if (!m.matches() || m.group("bare6") != null && m.group("port") != null) {
            throw new IllegalArgumentException("'" + text + "' is not HOST or HOST:PORT");
        }
        String host = m.group("v6") != null ? m.group("v6") : m.group("host") != null ? m.group("host") : m.group("bare6");
        int port = m.group("port") == null ? DEFAULT_PORT : Integer.parseInt(m.group("port"));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + text + "': port " + port + " is not between 1 and 65535");
        }
        return new TargetAddress(trimmed, host, port);
    }
}
