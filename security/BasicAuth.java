//DEPS at.favre.lib:bcrypt:0.10.2

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.IllegalBCryptFormatException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HTTP basic authentication against the bcrypt hashes of {@code basic_auth_users}, as the exporter toolkit does it:
 * <ul>
 * <li>An unknown user costs what a wrong password costs: the password is checked against a dummy hash of the
 * users' usual cost (the most common cost among the hashes; the highest of equally common ones).</li>
 * <li>bcrypt runs once at a time (a flood of guesses takes one core, not all), and its answer is cached, so a
 * scrape does not pay bcrypt each time. The cache is keyed on the hash and a keyed digest of the password
 * (HMAC-SHA256 with a key of this process), never on the user name: after CVE-2022-46146 no answer for one
 * password or hash can be taken for another. It holds {@link #CACHE_SIZE} answers, the least recently used
 * going first; right and wrong answers alike.</li>
 * <li>Passwords longer than bcrypt's 72 bytes are refused (htpasswd cuts them; accepting any tail would be worse).</li>
 * </ul>
 * Instances are immutable; a reload makes a new one with {@link #withUsers} that keeps the cache, which stays
 * right because it is keyed on the hashes.
 */
final class BasicAuth {
    /** For the 401 answer: {@code ctx.header("WWW-Authenticate", BasicAuth.CHALLENGE)}. */
    static final String CHALLENGE = "Basic realm=\"metrics\"";
    static final int CACHE_SIZE = 256;
    private static final int MAX_PASSWORD_BYTES = 72;

    private final Map<String, String> users;
    private final String dummyHash;
    private final Cache cache;

    BasicAuth(Map<String, String> users) {
        this(users, new Cache(CACHE_SIZE));
    }

    private BasicAuth(Map<String, String> users, Cache cache) {
        this.users = Map.copyOf(users);
        this.dummyHash = dummyHash(usualCost(users.values()));
        this.cache = cache;
    }

    /** The same cache with other users (a reload). */
    BasicAuth withUsers(Map<String, String> newUsers) {
        return new BasicAuth(newUsers, cache);
    }

    /** Whether any user is configured; without users, every request passes. */
    boolean enabled() {
        return !users.isEmpty();
    }

    /** How many answers the cache holds now. */
    int cacheSize() {
        return cache.size();
    }

    /** The user whose name and password the {@code Authorization} header carries, if they are right. */
    Optional<String> check(String authorization) {
        if (authorization == null || authorization.length() < 6
                || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = credentials.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String user = credentials.substring(0, colon);
        byte[] password = credentials.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        String hash = users.get(user);
        boolean known = hash != null;
        boolean right = cache.verify(known ? hash : dummyHash, password);
        return known && right ? Optional.of(user) : Optional.empty();
    }

    /** Answers of bcrypt, by hash and keyed password digest, computed one at a time. */
    static final class Cache {
        private final Map<String, Boolean> answers;
        private final Mac mac;
        private final Object bcrypt = new Object();

        Cache(int size) {
            answers = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > size;
                }
            };
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this Java has no HmacSHA256", e);
            }
        }

        boolean verify(String hash, byte[] password) {
            String key = hash + ":" + digest(password);
            Boolean answer = get(key);
            if (answer != null) {
                return answer;
            }
            synchronized (bcrypt) {
                answer = get(key); // another request may have computed it while this one waited
                if (answer == null) {
                    answer = bcrypt(hash, password);
                    put(key, answer);
                }
                return answer;
            }
        }

        private synchronized Boolean get(String key) {
            return answers.get(key);
        }

        private synchronized void put(String key, boolean answer) {
            answers.put(key, answer);
        }

        private synchronized String digest(byte[] password) {
            return Base64.getEncoder().encodeToString(mac.doFinal(password));
        }

        synchronized int size() {
            return answers.size();
        }
    }

    private static boolean bcrypt(String hash, byte[] password) {
        boolean tooLong = password.length > MAX_PASSWORD_BYTES;
        byte[] checked = tooLong ? java.util.Arrays.copyOf(password, MAX_PASSWORD_BYTES) : password;
        boolean verified = BCrypt.verifyer().verify(checked, hash.getBytes(StandardCharsets.UTF_8)).verified;
        return verified && !tooLong; // a long password still costs one bcrypt, like any other
    }

    /** A hash as {@code htpasswd -B} writes it: {@code $2y$}, {@code $2a$} or {@code $2b$}, cost 4 to 31. */
    static boolean isBcryptHash(String hash) {
        if (!hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
            return false;
        }
        int cost = Integer.parseInt(hash.substring(4, 6));
        if (cost < BCrypt.MIN_COST || cost > BCrypt.MAX_COST) {
            return false;
        }
        try {
            BCrypt.Version.VERSION_2A.parser.parse(hash.getBytes(StandardCharsets.UTF_8)); // salt and digest
            return true;
        } catch (IllegalBCryptFormatException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The most common cost among the hashes (the highest of equally common ones); 10, htpasswd's advice, if none. */
    static int usualCost(Collection<String> hashes) {
        return hashes.stream().map(hash -> Integer.parseInt(hash.substring(4, 6)))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
                .entrySet().stream()
                .max(Comparator.<Map.Entry<Integer, Long>>comparingLong(Map.Entry::getValue)
                        .thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey).orElse(10);
    }

    /**
     * A hash that no password matches, whose check costs {@code cost}: a cheap real hash of random bytes with its
     * cost field raised (the salt and digest stay well-formed; the digest no longer fits, which is the point).
     */
    static String dummyHash(int cost) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String cheap = new String(BCrypt.with(BCrypt.Version.VERSION_2Y).hash(4,
                Base64.getEncoder().encodeToString(random).substring(0, 40).getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
        return cheap.substring(0, 4) + String.format("%02d", cost) + cheap.substring(6);
    }
}
