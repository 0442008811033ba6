import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made by {@code openssl} for tests: a CA, a server certificate for localhost and 127.0.0.1, client
 * certificates signed by the CA or self-signed, and Java clients that use them. Every file is PEM; keys come in the
 * form asked for (PKCS#8, PKCS#1, SEC 1).
 */
final class TestPki {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    final Path dir;
    private int serial = 1;

    TestPki(Path dir) {
        this.dir = dir;
    }

    /** A CA: NAME.crt and NAME.key. */
    TestPki ca(String name) {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".crt",
                "-days", "2", "-subj", "/CN=" + name, "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return this;
    }

    /** A leaf signed by {@code ca}: NAME.crt and NAME.key ({@code keyType}: rsa, rsa-pkcs1, ec). */
    TestPki leaf(String name, String ca, String keyType, String usage, String sans) {
        key(name, keyType);
        openssl("req", "-new", "-key", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
        write(name + ".ext", "subjectAltName=" + sans + "\nextendedKeyUsage=" + usage
                + "\nbasicConstraints=CA:FALSE\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
                "-set_serial", Integer.toString(1000 + serial++), "-days", "2", "-out", name + ".crt",
                "-extfile", name + ".ext");
        return this;
    }

    /** A server certificate for localhost and 127.0.0.1. */
    TestPki server(String name, String ca, String keyType) {
        return leaf(name, ca, keyType, "serverAuth", "DNS:localhost,IP:127.0.0.1");
    }

    /** A client certificate with the given SANs, and NAME.p12 (password "test") for Java clients. */
    TestPki client(String name, String ca, String sans) {
        leaf(name, ca, "rsa", "clientAuth", sans);
        openssl("pkcs12", "-export", "-in", name + ".crt", "-inkey", name + ".key", "-out", name + ".p12",
                "-passout", "pass:test");
        return this;
    }

    /** A self-signed client certificate (no CA knows it) and its NAME.p12. */
    TestPki selfSignedClient(String name) {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".crt",
                "-days", "2", "-subj", "/CN=" + name, "-addext", "extendedKeyUsage=clientAuth");
        openssl("pkcs12", "-export", "-in", name + ".crt", "-inkey", name + ".key", "-out", name + ".p12",
                "-passout", "pass:test");
        return this;
    }

    private void key(String name, String keyType) {
        switch (keyType) {
            case "rsa" -> openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name + ".key");
            case "rsa-pkcs1" -> {
                openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name + ".pk8");
                openssl("rsa", "-in", name + ".pk8", "-traditional", "-out", name + ".key");
            }
            case "ec" -> openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", name + ".key");
            case "ec-pkcs8" -> openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-out", name + ".key");
            default -> throw new IllegalArgumentException(keyType);
        }
    }

    Path path(String file) {
        return dir.resolve(file);
    }

    String read(String file) {
        try {
            return Files.readString(dir.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(String file, String text) {
        try {
            Files.writeString(dir.resolve(file), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void openssl(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Commands.require("openssl", "openssl"));
        command.addAll(List.of(args));
        Commands.Result result = Commands.run(command, dir, Map.of(), TIMEOUT);
        assertEquals(0, result.exit(), () -> String.join(" ", command) + ": " + result.describe());
    }

    /** A client that trusts {@code ca} and presents {@code clientP12} (null: no certificate), TLS versions as given. */
    HttpClient httpClient(String ca, String clientP12, String... protocols) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(dir.resolve(ca + ".crt"))) {
                trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            KeyManagerFactory keyManagers = null;
            if (clientP12 != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(dir.resolve(clientP12))) {
                    keys.load(in, "test".toCharArray());
                }
                keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyManagers.init(keys, "test".toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers == null ? null : new KeyManager[] {
                new AlwaysPresent((X509ExtendedKeyManager) keyManagers.getKeyManagers()[0])},
                    trustManagers.getTrustManagers(), null);
            HttpClient.Builder builder = HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5))
                    .version(HttpClient.Version.HTTP_1_1);
            if (protocols.length > 0) {
                SSLParameters parameters = context.getDefaultSSLParameters();
                parameters.setProtocols(protocols);
                builder.sslParameters(parameters);
            }
            return builder.build();
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a TLS client: " + e, e);
        }
    }

    /**
     * A client key manager that presents its certificate whatever CAs the server names, as a client with the wrong
     * certificate would: Java's own presents none when the server's CA did not sign it, which would test nothing.
     */
    private static final class AlwaysPresent extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager keys;

        AlwaysPresent(X509ExtendedKeyManager keys) {
            this.keys = keys;
        }

        private String alias() {
            return keys.getClientAliases("RSA", null)[0];
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers, SSLEngine engine) {
            return alias();
        }

        @Override
        public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
            return alias();
        }

        @Override
        public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
            return keys.getClientAliases(keyType, null);
        }

        @Override
        public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
            return null;
        }

        @Override
        public java.security.cert.X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public java.security.PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }
    }

    /** GET over a client; the status, or the failure. */
    static HttpResponse<String> get(HttpClient client, String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
