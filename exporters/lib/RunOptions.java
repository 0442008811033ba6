import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** What a run does with its metrics: the options every exporter (and the dispatcher) accepts. */
public class RunOptions {
    /** The command's CommandSpec, for error messages; typed Object, set by a method, so that reflecting on this
     * class's fields (QuickOptions) does not load picocli. */
    private Object spec;

    @Spec(Spec.Target.MIXEE)
    void spec(CommandSpec spec) {
        this.spec = spec;
    }

    @Option(names = "--pushgateway-address", paramLabel = "HOST:PORT", converter = PushgatewayAddress.class,
            description = "Push the metrics to this Pushgateway (an http(s):// URL is accepted too).")
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
    void validate() {
        if (!groupingKey.isEmpty()) {
            GroupingKey.validate(this); // a class of its own: a plain run loads neither a Pattern nor picocli
        }
    }

    private static final class GroupingKey {
        private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

        static void validate(RunOptions options) {
            for (Map.Entry<String, String> entry : options.groupingKey.entrySet()) {
                String name = entry.getKey();
                if (!LABEL_NAME.matcher(name).matches()) {
                    throw new ParameterException(((CommandSpec) options.spec).commandLine(),
                            "Invalid --grouping-key '" + name + "': the name must match " + LABEL_NAME);
                }
                if (entry.getValue().isEmpty()) {
                    throw new ParameterException(((CommandSpec) options.spec).commandLine(),
                            "Invalid --grouping-key '" + name + "': the value must not be empty");
                }
            }
            if (options.pushgateway == null) {
                throw new ParameterException(((CommandSpec) options.spec).commandLine(), "--grouping-key needs --pushgateway-address");
            }
        }
    }

    /** Accepts {@code host:port}, {@code [v6addr]:port} or an {@code http(s)://} URL. */
    public static final class PushgatewayAddress implements ITypeConverter<URL> {
        private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9._-]+):\\d{1,5}");

        @Override
        public URL convert(String value) {
            String url = value.startsWith("http://") || value.startsWith("https://") ? value : "http://" + value;
            if (!url.equals(value) && !HOST_PORT.matcher(value).matches()) {
                throw new TypeConversionException("'" + value + "' is not HOST:PORT or an http(s):// URL");
            }
            try {
                URI uri = new URI(url);
                if (uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null) {
                    throw new TypeConversionException("'" + value + "' is not HOST:PORT or an http(s):// URL");
                }
                return uri.toURL();
            } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not HOST:PORT or an http(s):// URL");
            }
        }
    }
}
