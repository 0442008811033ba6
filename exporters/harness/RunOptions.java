import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** What a run does with its metrics: the options every exporter (and the dispatcher) accepts. */
public class RunOptions {
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    @Option(names = "--pushgateway-address", paramLabel = "HOST[:PORT]", converter = PushgatewayAddress.class,
            description = "Push the metrics to this Pushgateway (port 80 when none is given; an http(s):// URL "
                    + "is accepted too).")
    URL pushgateway;

    @Option(names = "--grouping-key", paramLabel = "NAME=VALUE", mapFallbackValue = "",
            description = "Add a label to the Pushgateway group (repeatable).")
    Map<String, String> groupingKey = new LinkedHashMap<>();

    @Option(names = "--output-filename", paramLabel = "FILE",
            description = "Also write the metrics to FILE (replaced atomically).")
    Path outputFile;

    @Option(names = "--no-print", description = "Do not print metrics to stdout.")
    boolean noPrint;

    /** Checks what picocli cannot check field by field. */
    void validate(CommandLine command) {
        for (Map.Entry<String, String> entry : groupingKey.entrySet()) {
            String name = entry.getKey();
            if (!LABEL_NAME.matcher(name).matches()) {
                throw new ParameterException(command, "Invalid --grouping-key '" + name + "': the name must match " + LABEL_NAME);
            }
            if (entry.getValue().isEmpty()) {
                throw new ParameterException(command, "Invalid --grouping-key '" + name + "': the value must not be empty");
            }
        }
        if (!groupingKey.isEmpty() && pushgateway == null) {
            throw new ParameterException(command, "--grouping-key needs --pushgateway-address");
        }
    }

    /**
     * Accepts {@code host}, {@code host:port}, {@code [v6addr]:port} or an {@code http(s)://} URL, as the original
     * did (its client took a bare host as http://host, port 80).
     */
    public static final class PushgatewayAddress implements ITypeConverter<URL> {
        private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9._-]+)(:\\d{1,5})?");

        @Override
        public URL convert(String value) {
            String url = value.startsWith("http://") || value.startsWith("https://") ? value : "http://" + value;
            if (!url.equals(value) && !HOST_PORT.matcher(value).matches()) {
                throw new TypeConversionException("'" + value + "' is not HOST[:PORT] or an http(s):// URL");
            }
            try {
                URI uri = new URI(url);
                if (uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null || uri.getPort() > 65535) {
                    throw new TypeConversionException("'" + value + "' is not HOST[:PORT] or an http(s):// URL");
                }
                return uri.toURL();
            } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not HOST[:PORT] or an http(s):// URL");
            }
        }
    }
}
