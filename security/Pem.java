import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM as Go's {@code tls.X509KeyPair} reads it, which Java lacks: every {@code CERTIFICATE} block of a text (other
 * blocks and text between them are skipped), and the first private key, in PKCS#8 ({@code PRIVATE KEY}), PKCS#1
 * ({@code RSA PRIVATE KEY}) or SEC 1 ({@code EC PRIVATE KEY}) form. Encrypted keys are refused, as Go refuses them.
 * Problems are {@link IllegalArgumentException}s saying what is wrong, never the key's bytes.
 */
final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00}; // SEQUENCE { rsaEncryption, NULL }
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private Pem() {
    }

    record Block(String type, byte[] der) {
    }

    static List<Block> blocks(String text) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            if (body.contains("Proc-Type:") && body.contains("ENCRYPTED")) {
                throw new IllegalArgumentException("the " + m.group(1) + " is encrypted; give it unencrypted "
                        + "(openssl pkey -in KEY -out KEY.plain)");
            }
            String base64 = body.lines().filter(line -> !line.contains(":")).reduce("", String::concat)
                    .replaceAll("\\s", "");
            try {
                blocks.add(new Block(m.group(1), Base64.getDecoder().decode(base64)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the " + m.group(1) + " block is not valid base64");
            }
        }
        return blocks;
    }

    /** Every certificate in the text, in order (a server's own first, then its chain). */
    static List<X509Certificate> certificates(String text) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block block : blocks(text)) {
            if (block.type().equals("CERTIFICATE")) {
                try {
                    certificates.add((X509Certificate) CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(block.der())));
                } catch (CertificateException e) {
                    throw new IllegalArgumentException("certificate " + (certificates.size() + 1)
                            + " cannot be read: " + e.getMessage());
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no PEM CERTIFICATE block found");
        }
        return List.copyOf(certificates);
    }

    /** The first private key in the text. */
    static PrivateKey privateKey(String text) {
        for (Block block : blocks(text)) {
            switch (block.type()) {
                case "PRIVATE KEY":
                    return pkcs8(block.der());
                case "RSA PRIVATE KEY":
                    return pkcs8(wrap(RSA_ALGORITHM, block.der()));
                case "EC PRIVATE KEY":
                    return pkcs8(wrap(der(0x30, concat(EC_PUBLIC_KEY_OID, curveOf(block.der()))), block.der()));
                case "ENCRYPTED PRIVATE KEY":
                    throw new IllegalArgumentException("the private key is encrypted; give it unencrypted "
                            + "(openssl pkey -in KEY -out KEY.plain)");
                default:
                    if (block.type().endsWith("PRIVATE KEY")) {
                        throw new IllegalArgumentException("unsupported key type '" + block.type()
                                + "'; give a PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY");
                    }
            }
        }
        throw new IllegalArgumentException("no PEM PRIVATE KEY block found");
    }

    /** Whether the key belongs to the certificate: the key signs, the certificate's public key verifies. */
    static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> key.getAlgorithm();
            default -> null;
        };
        PublicKey publicKey = certificate.getPublicKey();
        if (algorithm == null) {
            return key.getAlgorithm().equals(publicKey.getAlgorithm()); // e.g. RSASSA-PSS: the type, at least
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an EC key for an RSA certificate
        }
    }

    private static PrivateKey pkcs8(byte[] der) {
        for (String algorithm : List.of("RSA", "EC", "EdDSA", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException("the private key cannot be read (not an RSA, EC or Ed25519 key)");
    }

    /** PKCS#8 around a PKCS#1 or SEC 1 key: SEQUENCE { 0, algorithm, OCTET STRING key }. */
    private static byte[] wrap(byte[] algorithm, byte[] key) {
        return der(0x30, concat(new byte[] {0x02, 0x01, 0x00}, algorithm, der(0x04, key)));
    }

    /** The named curve of a SEC 1 key: the OID in its {@code [0] parameters}, which OpenSSL always writes. */
    private static byte[] curveOf(byte[] sec1) {
        Der sequence = Der.read(sec1, 0);
        int at = sequence.contentStart();
        while (at < sequence.end()) {
            Der field = Der.read(sec1, at);
            if (field.tag() == 0xa0) {
                Der oid = Der.read(sec1, field.contentStart());
                if (oid.tag() == 0x06) {
                    return java.util.Arrays.copyOfRange(sec1, oid.start(), oid.end());
                }
            }
            at = field.end();
        }
        throw new IllegalArgumentException("the EC PRIVATE KEY names no curve");
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** One DER element: its tag and where it starts, where its content starts and where it ends. */
    private record Der(int tag, int start, int contentStart, int end) {
        static Der read(byte[] data, int start) {
            try {
                int tag = data[start] & 0xff;
                int first = data[start + 1] & 0xff;
                int length = first;
                int contentStart = start + 2;
                if (first >= 0x80) {
                    int bytes = first & 0x7f;
                    if (bytes == 0 || bytes > 4) {
                        throw new IllegalArgumentException("the EC PRIVATE KEY is not valid DER");
                    }
                    length = 0;
                    for (int i = 0; i < bytes; i++) {
                        length = (length << 8) | (data[contentStart + i] & 0xff);
                    }
                    contentStart += bytes;
                }
                if (length < 0 || contentStart + length > data.length) {
                    throw new IllegalArgumentException("the EC PRIVATE KEY is not valid DER");
                }
                return new Der(tag, start, contentStart, contentStart + length);
            } catch (ArrayIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("the EC PRIVATE KEY is not valid DER");
            }
        }
    }
}
