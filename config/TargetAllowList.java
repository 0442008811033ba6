import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code allowed_targets}: exact names, IP addresses, CIDR networks, and {@code discovery} (the configuration's own
 * {@code targets}). A target is checked before anything is sent, and without DNS: a name matches only a name
 * listed as it is written (case and a final dot aside), an IP address matches a listed address or network. So
 * {@code sw1} is refused by {@code [10.0.0.0/8]} even if it resolves there: resolving would send a query for a
 * name the client chose, and the answer could change before the exporter resolves it again (DNS rebinding).
 * Anything that is not a plain dotted-quad or IPv6 literal (say {@code 0x0a.1} or {@code 010.0.0.1}) is a name.
 * The port, if the target has one, is not checked.
 */
final class TargetAllowList {
    static final String DISCOVERY = "discovery";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?\\.?");
    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final List<String> entries;
    private final Set<String> names;
    private final List<Network> networks;
    private final boolean discovery;

    private record Network(byte[] address, int prefix) {
        boolean contains(InetAddress candidate) {
            byte[] bytes = candidate.getAddress();
            if (bytes.length != address.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((bytes[bit / 8] & mask) != (address[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private TargetAllowList(List<String> entries, Set<String> names, List<Network> networks, boolean discovery) {
        this.entries = entries;
        this.names = names;
        this.networks = networks;
        this.discovery = discovery;
    }

    /** Reads the entries of the list at {@code path} (for messages). */
    static TargetAllowList parse(String path, List<String> entries) throws ConfigException {
        java.util.Set<String> names = new java.util.HashSet<>();
        List<Network> networks = new ArrayList<>();
        boolean discovery = false;
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i).strip();
            String where = path + "[" + i + "]";
            if (entry.equals(DISCOVERY)) {
                discovery = true;
            } else if (entry.contains("/")) {
                networks.add(network(where, entry));
            } else if (ipLiteral(entry).isPresent()) {
                byte[] address = ipLiteral(entry).get().getAddress();
                networks.add(new Network(address, address.length * 8));
            } else if (NAME.matcher(entry).matches()) {
                names.add(normalName(entry));
            } else {
                throw new ConfigException(where + ": '" + entry + "' is not a host name, an IP address, a network "
                        + "(10.0.0.0/8) or 'discovery'");
            }
        }
        return new TargetAllowList(List.copyOf(entries), Set.copyOf(names), List.copyOf(networks), discovery);
    }

    /** Whether {@code target} ({@code HOST}, {@code HOST:PORT}, {@code [IPv6]:PORT}) may be scraped. */
    boolean allows(String target, Set<String> discoveryTargets) {
        String host = host(target);
        Optional<InetAddress> address = ipLiteral(host);
        if (address.isPresent()) {
            if (networks.stream().anyMatch(network -> network.contains(address.get()))) {
                return true;
            }
        } else if (names.contains(normalName(host))) {
            return true;
        }
        if (discovery) {
            for (String listed : discoveryTargets) {
                String listedHost = host(listed);
                Optional<InetAddress> listedAddress = ipLiteral(listedHost);
                if (address.isPresent() ? listedAddress.isPresent() && listedAddress.get().equals(address.get())
                        : listedAddress.isEmpty() && normalName(listedHost).equals(normalName(host))) {
                    return true;
                }
            }
        }
        return false;
    }

    List<String> entries() {
        return entries;
    }

    /** The host part of a target, as the exporters split it (a bare IPv6 address has no port). */
    static String host(String target) {
        String text = target.strip();
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            return close > 0 ? text.substring(1, close) : text;
        }
        int colon = text.indexOf(':');
        if (colon >= 0 && text.indexOf(':', colon + 1) < 0) {
            return text.substring(0, colon);
        }
        return text;
    }

    /** An IP address written as a literal, parsed without any lookup; anything else is empty. */
    static Optional<InetAddress> ipLiteral(String text) {
        if (!(IPV4.matcher(text).matches() || IPV6.matcher(text).matches())) {
            return Optional.empty();
        }
        if (IPV4.matcher(text).matches()) {
            String[] parts = text.split("\\.");
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int value = Integer.parseInt(parts[i]);
                if (value > 255) {
                    return Optional.empty();
                }
                bytes[i] = (byte) value;
            }
            try {
                return Optional.of(InetAddress.getByAddress(bytes));
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        try {
            // in brackets, Java parses the text as an IPv6 literal or fails, and never looks it up (without them,
            // an invalid literal would be sent to DNS); an IPv4-mapped one comes back as the IPv4 address, which
            // is where a connection to it goes
            return Optional.of(InetAddress.getByName("[" + text + "]"));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Network network(String where, String entry) throws ConfigException {
        String[] parts = entry.split("/", 2);
        Optional<InetAddress> address = ipLiteral(parts[0]);
        if (address.isEmpty()) {
            throw new ConfigException(where + ": '" + entry + "' is not a network: '" + parts[0]
                    + "' is not an IP address");
        }
        byte[] bytes = address.get().getAddress();
        int prefix;
        try {
            prefix = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > bytes.length * 8 || !parts[1].matches("[0-9]{1,3}")) {
            throw new ConfigException(where + ": '" + entry + "': the prefix length must be 0 to " + bytes.length * 8);
        }
        for (int bit = prefix; bit < bytes.length * 8; bit++) {
            if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                throw new ConfigException(where + ": '" + entry + "' has bits set after the first " + prefix
                        + "; write the network's first address");
            }
        }
        return new Network(bytes, prefix);
    }

    private static String normalName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
