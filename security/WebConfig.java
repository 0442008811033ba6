import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The file of {@code --web.config.file}, in prometheus/exporter-toolkit's format, read strictly: an unknown key or a
 * bad value is a {@link ConfigException} naming the key path. Relative file names are relative to the file's
 * directory, as the toolkit resolves them. Where this server differs from the toolkit:
 * <ul>
 * <li>{@code cert} with {@code cert_file} (or {@code key}/{@code key_file}, {@code client_ca}/{@code client_ca_file})
 * is an error; the toolkit silently prefers the file.</li>
 * <li>{@code VerifyClientCertIfGiven} and {@code RequireAndVerifyClientCert} need {@code client_ca(_file)}: this
 * server never verifies client certificates against the public CAs of the system, which Go does without one.</li>
 * <li>{@code client_allowed_sans} needs {@code RequireAndVerifyClientCert}: a SAN in an unverified certificate
 * proves nothing.</li>
 * <li>{@code cipher_suites} takes the names of Go's {@code tls.CipherSuites()}; each must also be in this Java
 * (Java 25 no longer offers the {@code TLS_RSA_WITH_*} ones: the error names the suite). As in Go, they restrict
 * TLS 1.0 to 1.2 only: TLS 1.3's suites are not configurable. Without the key, Jetty's defaults apply, which
 * leave out the {@code CBC_SHA} suites Go's defaults still have.</li>
 * <li>{@code curve_preferences} needs Java 20 or newer (the first Java that sets named groups per connection).</li>
 * <li>{@code http2} is read and checked, but the server speaks HTTP/1.1 over TLS either way (Prometheus does too
 * when the server offers nothing else).</li>
 * <li>{@code rate_limit} is refused as not supported rather than ignored.</li>
 * <li>A TLS setting without any certificate is an error; the toolkit ignores it and serves plain HTTP.</li>
 * <li>{@code min_version: TLS10}/{@code TLS11} are accepted, but Java itself disables both unless its
 * {@code jdk.tls.disabledAlgorithms} is changed.</li>
 * </ul>
 */
record WebConfig(Optional<Tls> tls, boolean http2, Map<String, String> headers, Map<String, String> users) {
    /** No file: plain HTTP, no authentication, no extra headers. */
    static final WebConfig NONE = new WebConfig(Optional.empty(), true, Map.of(), Map.of());

    /** The toolkit's five policies (plus its old name {@code RequireClientCert} for RequireAnyClientCert). */
    enum ClientAuth {
        NoClientCert(false, false, false),
        RequestClientCert(true, false, false),
        RequireAnyClientCert(true, true, false),
        VerifyClientCertIfGiven(true, false, true),
        RequireAndVerifyClientCert(true, true, true);

        final boolean asks;
        final boolean requires;
        final boolean verifies;

        ClientAuth(boolean asks, boolean requires, boolean verifies) {
            this.asks = asks;
            this.requires = requires;
            this.verifies = verifies;
        }
    }

    /** TLS versions by the toolkit's names, with Java's protocol names. */
    enum TlsVersion {
        TLS10("TLSv1"), TLS11("TLSv1.1"), TLS12("TLSv1.2"), TLS13("TLSv1.3");

        final String java;

        TlsVersion(String java) {
            this.java = java;
        }
    }

    /**
     * PEM text from a file or given inline; {@link #read()} reads it when needed, so a rotated file is read anew.
     * {@code key} is the YAML key it came from, for messages.
     */
    record PemSource(String key, Optional<Path> file, Optional<String> inline, boolean secret) {
        String read() throws ConfigException {
            if (inline.isPresent()) {
                return inline.get();
            }
            try {
                return Files.readString(file.orElseThrow(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigException(key + ": cannot read " + file.get() + ": " + ConfigException.describe(e));
            }
        }

        @Override
        public String toString() {
            return key + "=" + file.map(Path::toString).orElse(secret ? "<inline, hidden>" : "<inline>");
        }
    }

    record Tls(PemSource cert, PemSource key, Optional<PemSource> clientCa, ClientAuth clientAuth,
            TlsVersion minVersion, TlsVersion maxVersion, List<String> cipherSuites,
            boolean preferServerCipherSuites, List<String> curves, List<String> clientAllowedSans) {
        /** Java's protocol names from min_version to max_version. */
        List<String> protocols() {
            return Arrays.stream(TlsVersion.values())
                    .filter(v -> v.compareTo(minVersion) >= 0 && v.compareTo(maxVersion) <= 0)
                    .map(v -> v.java).toList();
        }
    }

    /** Go's {@code tls.CipherSuites()} (Go 1.21); Java names them the same. */
    static final List<String> GO_CIPHER_SUITES = List.of(
            "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA",
            "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
    /** TLS 1.3's suites: accepted in cipher_suites, as Go accepts them, and always enabled, as Go enables them. */
    static final List<String> TLS13_CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");
    /** The toolkit's curve names and Java's named groups. */
    static final Map<String, String> CURVES = orderedMap(
            "CurveP256", "secp256r1", "CurveP384", "secp384r1", "CurveP521", "secp521r1", "X25519", "x25519");
    /** The headers the toolkit lets a file set, with the values allowed where it restricts them. */
    static final Map<String, List<String>> HEADERS = Map.of(
            "Strict-Transport-Security", List.of(),
            "X-Content-Type-Options", List.of("nosniff"),
            "X-Frame-Options", List.of("deny", "sameorigin"),
            "X-XSS-Protection", List.of(),
            "Content-Security-Policy", List.of());

    boolean authenticates() {
        return !users.isEmpty();
    }

    static WebConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + ConfigException.describe(e));
        }
        Path directory = file.toAbsolutePath().getParent();
        try {
            return parse(text, directory);
        } catch (ConfigException e) {
            throw e.in(file);
        }
    }

    /** Parses a file's text; relative file names are taken from {@code directory}. */
    static WebConfig parse(String text, Path directory) throws ConfigException {
        StrictYaml.Mapping root = StrictYaml.parse(text)
                .only("tls_server_config", "http_server_config", "basic_auth_users", "rate_limit");
        if (root.has("rate_limit")) {
            throw new ConfigException("rate_limit: not supported by this server (put a proxy in front to limit rates)");
        }
        StrictYaml.Mapping http = root.mapping("http_server_config").only("http2", "headers");
        return new WebConfig(tls(root.mapping("tls_server_config"), directory), http.bool("http2", true),
                headers(http.mapping("headers")), users(root.mapping("basic_auth_users")));
    }

    private static Optional<Tls> tls(StrictYaml.Mapping tls, Path directory) throws ConfigException {
        tls.only("cert", "key", "client_ca", "cert_file", "key_file", "client_auth_type", "client_ca_file",
                "cipher_suites", "curve_preferences", "min_version", "max_version", "prefer_server_cipher_suites",
                "client_allowed_sans");
        // the toolkit turns TLS on when any of these is set, and then needs a certificate and its key
        if (!(tls.has("cert") || tls.has("key") || tls.has("client_ca") || tls.has("cert_file") || tls.has("key_file")
                || tls.has("client_ca_file") || tls.has("client_auth_type"))) {
            for (String key : tls.keys()) {
                if (tls.has(key)) {
                    throw new ConfigException(tls.at(key) + ": set without a certificate; add cert_file and key_file");
                }
            }
            return Optional.empty();
        }
        PemSource cert = pem(tls, "cert", "cert_file", directory, false)
                .orElseThrow(() -> new ConfigException(tls.path() + ": missing one of cert or cert_file"));
        PemSource key = pem(tls, "key", "key_file", directory, true)
                .orElseThrow(() -> new ConfigException(tls.path() + ": missing one of key or key_file"));
        Optional<PemSource> clientCa = pem(tls, "client_ca", "client_ca_file", directory, false);

        ClientAuth clientAuth = ClientAuth.NoClientCert;
        Optional<String> authName = tls.string("client_auth_type");
        if (authName.isPresent() && !authName.get().isEmpty()) {
            clientAuth = authName.get().equals("RequireClientCert") ? ClientAuth.RequireAnyClientCert
                    : oneOf(tls.at("client_auth_type"), authName.get(), ClientAuth.class);
        }
        if (clientCa.isPresent() && clientAuth == ClientAuth.NoClientCert) {
            throw new ConfigException(clientCa.get().key() + ": a client CA is set but client_auth_type is "
                    + "NoClientCert; set client_auth_type (RequireAndVerifyClientCert to check client certificates)");
        }
        if (clientAuth.verifies && clientCa.isEmpty()) {
            throw new ConfigException(tls.at("client_auth_type") + ": " + clientAuth + " needs client_ca_file or "
                    + "client_ca (the CA that signs the client certificates)");
        }
        List<String> sans = tls.strings("client_allowed_sans");
        if (!sans.isEmpty() && clientAuth != ClientAuth.RequireAndVerifyClientCert) {
            throw new ConfigException(tls.at("client_allowed_sans") + ": needs client_auth_type "
                    + "RequireAndVerifyClientCert (a name in an unverified certificate proves nothing)");
        }

        TlsVersion min = tls.string("min_version").isPresent()
                ? oneOf(tls.at("min_version"), tls.string("min_version").get(), TlsVersion.class) : TlsVersion.TLS12;
        TlsVersion max = tls.string("max_version").isPresent()
                ? oneOf(tls.at("max_version"), tls.string("max_version").get(), TlsVersion.class) : TlsVersion.TLS13;
        if (min.compareTo(max) > 0) {
            throw new ConfigException(tls.at("min_version") + ": " + min + " is above max_version " + max);
        }
        if (max.compareTo(TlsVersion.TLS12) < 0 && disabledInJava(min, max)) {
            throw new ConfigException(tls.at("max_version") + ": " + max + " leaves only TLS versions that this Java "
                    + "disables (jdk.tls.disabledAlgorithms); use TLS12 or TLS13");
        }
        return Optional.of(new Tls(cert, key, clientCa, clientAuth, min, max,
                cipherSuites(tls), tls.bool("prefer_server_cipher_suites", true), curves(tls), sans));
    }

    private static Optional<PemSource> pem(StrictYaml.Mapping tls, String inlineKey, String fileKey, Path directory,
            boolean secret) throws ConfigException {
        Optional<String> inline = tls.string(inlineKey);
        Optional<String> file = tls.string(fileKey);
        if (inline.isPresent() && file.isPresent()) {
            throw new ConfigException(tls.at(inlineKey) + ": give " + inlineKey + " or " + fileKey + ", not both");
        }
        if (inline.isPresent() && inline.get().isBlank() || file.isPresent() && file.get().isBlank()) {
            // the toolkit's message, for the key it names
            throw new ConfigException(tls.at(inline.isPresent() ? inlineKey : fileKey) + ": must not be empty");
        }
        if (inline.isPresent()) {
            return Optional.of(new PemSource(tls.at(inlineKey), Optional.empty(), inline, secret));
        }
        return file.map(name -> new PemSource(tls.at(fileKey), Optional.of(directory.resolve(name).normalize()),
                Optional.empty(), secret));
    }

    private static List<String> cipherSuites(StrictYaml.Mapping tls) throws ConfigException {
        List<String> names = tls.strings("cipher_suites");
        Set<String> available = Set.of(javaSupportedCipherSuites());
        List<String> suites = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String where = tls.at("cipher_suites") + "[" + i + "]";
            if (!GO_CIPHER_SUITES.contains(name)) {
                throw new ConfigException(where + ": unknown cipher suite '" + name + "'; one of "
                        + String.join(", ", GO_CIPHER_SUITES));
            }
            if (!available.contains(name)) {
                throw new ConfigException(where + ": cipher suite '" + name + "' is not available in this Java");
            }
            suites.add(name);
        }
        return List.copyOf(suites);
    }

    private static List<String> curves(StrictYaml.Mapping tls) throws ConfigException {
        List<String> names = tls.strings("curve_preferences");
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String group = CURVES.get(names.get(i));
            if (group == null) {
                throw new ConfigException(tls.at("curve_preferences") + "[" + i + "]: unknown curve '" + names.get(i)
                        + "'; one of " + String.join(", ", CURVES.keySet()));
            }
            groups.add(group);
        }
        if (!groups.isEmpty() && Runtime.version().feature() < 20) {
            throw new ConfigException(tls.at("curve_preferences") + ": needs Java 20 or newer to be applied (this is "
                    + "Java " + Runtime.version().feature() + ")");
        }
        return List.copyOf(groups);
    }

    private static Map<String, String> headers(StrictYaml.Mapping headers) throws ConfigException {
        Map<String, String> result = new LinkedHashMap<>();
        for (String name : headers.keys()) {
            List<String> allowed = HEADERS.get(name);
            if (allowed == null) {
                throw new ConfigException(headers.at(name) + ": this header cannot be set; one of "
                        + String.join(", ", new TreeMap<>(HEADERS).keySet()));
            }
            Object raw = headers.raw(name);
            // the toolkit's `X-XSS-Protection: 1` is a YAML number that Go reads into a string
            String value = raw instanceof Number ? raw.toString() : headers.string(name).orElse("");
            if (value.isEmpty()) {
                continue; // "Unset if blank"
            }
            if (!allowed.isEmpty() && !allowed.contains(value)) {
                throw new ConfigException(headers.at(name) + ": unknown value '" + value + "'; one of "
                        + String.join(", ", allowed));
            }
            result.put(name, value);
        }
        return Map.copyOf(result);
    }

    private static Map<String, String> users(StrictYaml.Mapping users) throws ConfigException {
        Map<String, String> result = new LinkedHashMap<>();
        for (String user : users.keys()) {
            String hash = users.string(user).orElseThrow(
                    () -> new ConfigException(users.at(user) + ": no password hash"));
            if (!BasicAuth.isBcryptHash(hash)) {
                // never print the value: it may be a password written where its hash belongs
                throw new ConfigException(users.at(user) + ": not a bcrypt hash ($2y$, $2a$ or $2b$, as "
                        + "htpasswd -nBC 10 USER makes)");
            }
            result.put(user, hash);
        }
        return Map.copyOf(result);
    }

    private static <E extends Enum<E>> E oneOf(String where, String value, Class<E> type) throws ConfigException {
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": unknown value '" + value + "'; one of "
                    + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", ")));
        }
    }

    static String[] javaSupportedCipherSuites() {
        try {
            return javax.net.ssl.SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no TLS", e);
        }
    }

    private static boolean disabledInJava(TlsVersion min, TlsVersion max) {
        String disabled = java.security.Security.getProperty("jdk.tls.disabledAlgorithms");
        Set<String> off = disabled == null ? Set.of()
                : Arrays.stream(disabled.split(",")).map(String::strip).collect(Collectors.toSet());
        return Arrays.stream(TlsVersion.values())
                .filter(v -> v.compareTo(min) >= 0 && v.compareTo(max) <= 0)
                .allMatch(v -> off.contains(v.java));
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }

    /** Users are shown by name only. */
    @Override
    public String toString() {
        return "WebConfig[tls=" + tls + ", http2=" + http2 + ", headers=" + headers + ", users=" + users.keySet() + "]";
    }
}
