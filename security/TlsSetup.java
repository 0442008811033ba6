import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CRL;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * TLS for Jetty from {@code tls_server_config}: one {@link SslContextFactory.Server} shared by every HTTPS connector,
 * built from PEM files (or inline PEM), and {@link #reload reloaded} in place, so new connections get a rotated
 * certificate while open ones go on. The client policies mean what they mean in Go's {@code crypto/tls}:
 * <table>
 * <tr><th>client_auth_type</th><th>asks for a certificate</th><th>requires one</th><th>verifies it against the client
 * CA</th></tr>
 * <tr><td>NoClientCert</td><td>no</td><td>no</td><td>no</td></tr>
 * <tr><td>RequestClientCert</td><td>yes</td><td>no</td><td>no</td></tr>
 * <tr><td>RequireAnyClientCert</td><td>yes</td><td>yes</td><td>no</td></tr>
 * <tr><td>VerifyClientCertIfGiven</td><td>yes</td><td>no</td><td>yes, when one is given</td></tr>
 * <tr><td>RequireAndVerifyClientCert</td><td>yes</td><td>yes</td><td>yes</td></tr>
 * </table>
 * Jetty's SNI host check is off (Go has none): a client may reach the server by any name or address.
 */
final class TlsSetup {
    private final Factory factory = new Factory();

    /** Reads the certificate, key and client CA, and checks that Jetty can use them; nothing listens yet. */
    TlsSetup(WebConfig.Tls tls) throws ConfigException {
        Settings settings = Settings.load(tls);
        trial(settings);
        settings.applyTo(factory);
    }

    /** Checks a configuration as {@link #reload} would, without any server: for {@code --config.check}. */
    static void check(WebConfig.Tls tls) throws ConfigException {
        trial(Settings.load(tls));
    }

    /**
     * An HTTPS connector for one listen address. {@code http} is the server's HTTP configuration, as Javalin hands
     * it to {@code config.jetty.addConnector((server, http) -> tls.connector(server, http, address))}.
     */
    ServerConnector connector(Server server, HttpConfiguration http, ListenAddress address) {
        HttpConfiguration https = new HttpConfiguration(http);
        https.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
        ServerConnector connector = new ServerConnector(server,
                new SslConnectionFactory(factory, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(https));
        connector.setHost(address.host());
        connector.setPort(address.port());
        return connector;
    }

    /**
     * Takes a new configuration (a rotated certificate, another client CA or policy): all or nothing. It is read and
     * tried on a factory of its own first; only if that works does the live factory switch, so a broken file
     * leaves the running TLS as it was.
     */
    synchronized void reload(WebConfig.Tls tls) throws ConfigException {
        Settings settings = Settings.load(tls);
        trial(settings);
        try {
            factory.reload(live -> settings.applyTo((Factory) live));
        } catch (Exception e) {
            throw new ConfigException("tls_server_config: cannot reload: " + e.getMessage());
        }
    }

    /** The live factory (for tests and for a look at what was selected). */
    SslContextFactory.Server factory() {
        return factory;
    }

    private static void trial(Settings settings) throws ConfigException {
        Factory trial = new Factory();
        settings.applyTo(trial);
        try {
            trial.start();
            if (trial.getSelectedProtocols().length == 0) {
                throw new ConfigException("tls_server_config: no TLS version left between min_version and max_version");
            }
            if (!settings.tls.cipherSuites().isEmpty() && trial.getSelectedCipherSuites().length == 0) {
                throw new ConfigException("tls_server_config.cipher_suites: none is usable in this Java");
            }
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigException("tls_server_config: Jetty cannot use this configuration: " + e.getMessage());
        } finally {
            try {
                trial.stop();
            } catch (Exception e) {
                // nothing listens on a trial factory: nothing to clean up
            }
        }
    }

    /** Everything a factory needs, read and checked before any factory changes. */
    private record Settings(WebConfig.Tls tls, KeyStore keyStore, String password, List<X509Certificate> clientCas) {
        static Settings load(WebConfig.Tls tls) throws ConfigException {
            List<X509Certificate> chain = read(tls.cert(), Pem::certificates);
            PrivateKey key = read(tls.key(), Pem::privateKey);
            if (!Pem.matches(key, chain.get(0))) {
                throw new ConfigException(tls.key().key() + ": the private key does not belong to the certificate of "
                        + tls.cert());
            }
            List<X509Certificate> clientCas = tls.clientCa().isPresent()
                    ? read(tls.clientCa().get(), Pem::certificates) : List.of();
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            String password = Base64.getEncoder().encodeToString(random); // an in-memory store's lock, never shown
            try {
                KeyStore keyStore = KeyStore.getInstance("PKCS12");
                keyStore.load(null, null);
                keyStore.setKeyEntry("server", key, password.toCharArray(), chain.toArray(new X509Certificate[0]));
                return new Settings(tls, keyStore, password, clientCas);
            } catch (Exception e) {
                throw new ConfigException(tls.key().key() + ": the key and certificate cannot be stored for TLS: "
                        + e.getMessage());
            }
        }

        private static <T> T read(WebConfig.PemSource source, java.util.function.Function<String, T> parse)
                throws ConfigException {
            String text = source.read();
            try {
                return parse.apply(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(source.key() + ": " + source.file().map(f -> f + ": ").orElse("")
                        + e.getMessage());
            }
        }

        void applyTo(Factory factory) {
            factory.settings = this;
            factory.setKeyStore(keyStore);
            factory.setKeyStorePassword(password);
            factory.setKeyManagerPassword(password);
            factory.setCertAlias("server");
            WebConfig.ClientAuth policy = tls.clientAuth();
            factory.setNeedClientAuth(policy.requires);
            factory.setWantClientAuth(policy.asks && !policy.requires);
            factory.setIncludeProtocols(tls.protocols().toArray(new String[0]));
            if (tls.cipherSuites().isEmpty()) {
                factory.setIncludeCipherSuites();
                factory.setExcludeCipherSuites(JETTY_DEFAULT_EXCLUDED_CIPHER_SUITES);
            } else {
                // exactly the listed ones (Jetty's default exclusions would drop the CBC_SHA suites Go allows),
                // plus TLS 1.3's, which Go does not let a configuration restrict
                List<String> suites = new ArrayList<>(tls.cipherSuites());
                WebConfig.TLS13_CIPHER_SUITES.stream().filter(s -> !suites.contains(s)).forEach(suites::add);
                factory.setIncludeCipherSuites(suites.toArray(new String[0]));
                factory.setExcludeCipherSuites();
            }
            factory.setUseCipherSuitesOrder(tls.preferServerCipherSuites());
            factory.setRenegotiationAllowed(false); // Go's servers never renegotiate
            factory.setSniRequired(false);
        }
    }

    private static final String[] JETTY_DEFAULT_EXCLUDED_CIPHER_SUITES = new SslContextFactory.Server()
            .getExcludeCipherSuites();

    /** Jetty's factory with this configuration's trust decisions and curves. */
    static final class Factory extends SslContextFactory.Server {
        private volatile Settings settings;

        @Override
        protected TrustManager[] getTrustManagers(KeyStore ignored, Collection<? extends CRL> crls) throws Exception {
            WebConfig.ClientAuth policy = settings.tls.clientAuth();
            X509Certificate[] cas = settings.clientCas.toArray(new X509Certificate[0]);
            if (!policy.asks) {
                return null; // never asks: the JVM's default, unused
            }
            if (!policy.verifies) {
                return new TrustManager[] {new AnyClient(cas)};
            }
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            for (int i = 0; i < cas.length; i++) {
                trusted.setCertificateEntry("client-ca-" + i, cas[i]);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            X509ExtendedTrustManager verifying = null;
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    verifying = x509;
                }
            }
            if (verifying == null) {
                throw new IllegalStateException("this Java has no X.509 trust manager");
            }
            List<String> sans = settings.tls.clientAllowedSans();
            return new TrustManager[] {sans.isEmpty() ? verifying : new AllowedSans(verifying, sans)};
        }

        @Override
        public SSLParameters customize(SSLParameters parameters) {
            SSLParameters customized = super.customize(parameters);
            List<String> curves = settings == null ? List.of() : settings.tls.curves();
            if (!curves.isEmpty()) {
                try { // SSLParameters.setNamedGroups is Java 20+; WebConfig refuses curves on older ones
                    Method setNamedGroups = SSLParameters.class.getMethod("setNamedGroups", String[].class);
                    setNamedGroups.invoke(customized, (Object) curves.toArray(new String[0]));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("curve_preferences cannot be applied: " + e, e);
                }
            }
            return customized;
        }
    }

    /** RequestClientCert and RequireAnyClientCert: any certificate is taken, none is checked (as in Go). */
    private static final class AnyClient extends X509ExtendedTrustManager {
        private final X509Certificate[] issuers;

        AnyClient(X509Certificate[] issuers) {
            this.issuers = issuers;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a server does not check servers");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("a server does not check servers");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("a server does not check servers");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return issuers.clone();
        }
    }

    /**
     * {@code client_allowed_sans}: after the usual verification, the client certificate must carry one of the names
     * as a DNS name, e-mail address, URI or IP address (IP addresses compared as addresses).
     */
    private static final class AllowedSans extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager verifying;
        private final List<String> allowed;

        AllowedSans(X509ExtendedTrustManager verifying, List<String> allowed) {
            this.verifying = verifying;
            this.allowed = allowed;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            verifying.checkClientTrusted(chain, authType);
            checkSans(chain[0]);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            verifying.checkClientTrusted(chain, authType, socket);
            checkSans(chain[0]);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            verifying.checkClientTrusted(chain, authType, engine);
            checkSans(chain[0]);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            verifying.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            verifying.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            verifying.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return verifying.getAcceptedIssuers();
        }

        private void checkSans(X509Certificate certificate) throws CertificateException {
            for (String name : sans(certificate)) {
                for (String wanted : allowed) {
                    if (wanted.equals(name) || sameAddress(wanted, name)) {
                        return;
                    }
                }
            }
            throw new CertificateException("the client certificate has none of client_allowed_sans");
        }

        private static List<String> sans(X509Certificate certificate) throws CertificateParsingException {
            List<String> names = new ArrayList<>();
            Collection<List<?>> all = certificate.getSubjectAlternativeNames();
            if (all != null) {
                for (List<?> san : all) {
                    int type = (Integer) san.get(0);
                    if ((type == 1 || type == 2 || type == 6 || type == 7) && san.get(1) instanceof String value) {
                        names.add(value); // rfc822Name, dNSName, URI, iPAddress
                    }
                }
            }
            return names;
        }

        private static boolean sameAddress(String a, String b) {
            Optional<InetAddress> x = TargetAllowList.ipLiteral(a);
            Optional<InetAddress> y = TargetAllowList.ipLiteral(b);
            return x.isPresent() && y.isPresent() && x.get().equals(y.get());
        }
    }
}
