import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Basic authentication against hashes made by {@code htpasswd -B}, alone and in front of a Javalin app. */
class BasicAuthTest {
    static String alice; // password "alice-pw", cost 5
    static String bob; // password "bob-pw", cost 5
    static String carol10; // password "carol-pw", cost 10
    static String long72; // password of 72 x's, cost 5

    @BeforeAll
    static void hashes() {
        alice = htpasswd(5, "alice", "alice-pw");
        bob = htpasswd(5, "bob", "bob-pw");
        carol10 = htpasswd(10, "carol", "carol-pw");
        long72 = htpasswd(5, "long", "x".repeat(72));
    }

    static String htpasswd(int cost, String user, String password) {
        Commands.Result result = Commands.run(List.of(Commands.require("htpasswd", "apache2-utils"), "-nbB", "-C",
                Integer.toString(cost), user, password), Path.of("."), Map.of(), Duration.ofSeconds(30));
        assertEquals(0, result.exit(), result.describe());
        String hash = result.out().strip().substring(user.length() + 1);
        assertTrue(hash.startsWith("$2y$"), hash);
        return hash;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void right_password_gives_the_user_and_anything_else_nothing() {
        BasicAuth auth = new BasicAuth(Map.of("alice", alice, "bob", bob));
        assertEquals(Optional.of("alice"), auth.check(basic("alice", "alice-pw")));
        assertEquals(Optional.of("bob"), auth.check(basic("bob", "bob-pw")));
        assertEquals(Optional.of("alice"), auth.check("basic " + basic("alice", "alice-pw").substring(6)));
        for (String header : new String[] {null, "", "Basic", "Basic ", "Bearer abc", "Basic !!!",
            "Basic " + Base64.getEncoder().encodeToString("alice".getBytes()), basic("alice", "wrong"),
            basic("alice", "alice-pw "), basic("Alice", "alice-pw"), basic("mallory", "alice-pw"),
            basic("bob", "alice-pw"), basic("", "")}) {
            assertEquals(Optional.empty(), auth.check(header), String.valueOf(header));
        }
    }

    @Test
    void a_password_may_hold_colons() {
        BasicAuth auth = new BasicAuth(Map.of("dave", htpasswd(4, "dave", "a:b:c")));
        assertEquals(Optional.of("dave"), auth.check(basic("dave", "a:b:c")));
        assertEquals(Optional.of("dave"), auth.check("Basic " + Base64.getEncoder().encodeToString("dave:a:b:c".getBytes())));
        assertEquals(Optional.empty(), auth.check(basic("dave", "a:b")));
    }

    @Test
    void hashes_with_2a_and_2b_prefixes_are_accepted_like_2y() {
        for (String prefix : List.of("$2a$", "$2b$")) {
            String hash = prefix + alice.substring(4);
            assertTrue(BasicAuth.isBcryptHash(hash), hash);
            assertEquals(Optional.of("alice"), new BasicAuth(Map.of("alice", hash)).check(basic("alice", "alice-pw")));
        }
        assertFalse(BasicAuth.isBcryptHash("$2x$" + alice.substring(4)));
        assertFalse(BasicAuth.isBcryptHash("$2y$99$" + alice.substring(7)));
        assertFalse(BasicAuth.isBcryptHash("$2y$03$" + alice.substring(7)));
        assertTrue(BasicAuth.isBcryptHash("$2y$31$" + alice.substring(7)));
        assertFalse(BasicAuth.isBcryptHash(alice.substring(0, 59)));
    }

    @Test
    void a_wrong_password_after_a_right_one_still_fails() {
        BasicAuth auth = new BasicAuth(Map.of("alice", alice));
        assertTrue(auth.check(basic("alice", "alice-pw")).isPresent());
        assertTrue(auth.check(basic("alice", "wrong")).isEmpty());
        assertTrue(auth.check(basic("alice", "alice-pw")).isPresent());
        assertTrue(auth.check(basic("alice", "wrong")).isEmpty());
    }

    @Test
    void a_right_password_after_a_wrong_one_is_let_in() {
        BasicAuth auth = new BasicAuth(Map.of("alice", alice));
        assertTrue(auth.check(basic("alice", "bob-pw")).isEmpty());
        assertTrue(auth.check(basic("alice", "alice-pw")).isPresent());
    }

    @Test
    void a_cached_answer_for_one_hash_is_never_taken_for_another() {
        BasicAuth auth = new BasicAuth(Map.of("alice", alice, "bob", bob));
        assertTrue(auth.check(basic("alice", "alice-pw")).isPresent()); // cached: (alice's hash, digest of alice-pw)
        assertTrue(auth.check(basic("bob", "alice-pw")).isEmpty()); // the same password digest, bob's hash
        // a reload gives alice a new hash: her old password, cached as right, must not open the new one
        BasicAuth reloaded = auth.withUsers(Map.of("alice", htpasswd(4, "alice", "new-pw")));
        assertTrue(reloaded.check(basic("alice", "alice-pw")).isEmpty());
        assertTrue(reloaded.check(basic("alice", "new-pw")).isPresent());
        // and the user removed by the reload is out, cache or not
        assertTrue(reloaded.check(basic("bob", "bob-pw")).isEmpty());
    }

    @Test
    void passwords_longer_than_bcrypts_72_bytes_are_refused() {
        BasicAuth auth = new BasicAuth(Map.of("long", long72));
        assertTrue(auth.check(basic("long", "x".repeat(72))).isPresent());
        assertTrue(auth.check(basic("long", "x".repeat(73))).isEmpty());
        assertTrue(auth.check(basic("long", "x".repeat(72) + "anything")).isEmpty());
    }

    @Test
    void the_cache_stays_within_its_size() {
        BasicAuth auth = new BasicAuth(Map.of("alice", htpasswd(4, "alice", "pw")));
        for (int i = 0; i < BasicAuth.CACHE_SIZE + 40; i++) {
            assertTrue(auth.check(basic("alice", "guess-" + i)).isEmpty());
        }
        assertEquals(BasicAuth.CACHE_SIZE, auth.cacheSize());
        assertTrue(auth.check(basic("alice", "pw")).isPresent());
    }

    @Test
    void the_dummy_hash_has_the_users_usual_cost_and_matches_nothing() {
        assertEquals(10, BasicAuth.usualCost(List.of()));
        assertEquals(5, BasicAuth.usualCost(List.of(alice, bob, carol10)));
        assertEquals(10, BasicAuth.usualCost(List.of(alice, carol10)));
        String dummy = BasicAuth.dummyHash(7);
        assertTrue(dummy.startsWith("$2y$07$"), dummy);
        assertTrue(BasicAuth.isBcryptHash(dummy), dummy);
        assertTrue(new BasicAuth(Map.of("x", dummy)).check(basic("x", "")).isEmpty());
    }

    @Test
    void an_unknown_user_costs_what_a_wrong_password_costs() {
        BasicAuth auth = new BasicAuth(Map.of("carol", carol10));
        long wrong = medianNanos(i -> auth.check(basic("carol", "wrong-" + i)));
        long unknown = medianNanos(i -> auth.check(basic("nobody-" + i, "wrong-" + i)));
        // a cost-10 bcrypt takes tens of milliseconds; a lookup that skips it takes microseconds
        assertTrue(unknown > wrong * 0.3, "unknown user " + unknown / 1e6 + " ms, wrong password " + wrong / 1e6 + " ms");
        assertTrue(wrong > 5_000_000, "a cost-10 check took only " + wrong / 1e6 + " ms");
    }

    private static long medianNanos(java.util.function.IntConsumer check) {
        long[] times = new long[5];
        for (int i = 0; i < times.length; i++) {
            long start = System.nanoTime();
            check.accept(i);
            times[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(times);
        return times[times.length / 2];
    }

    @Test
    void three_hundred_concurrent_logins_are_each_answered_right() throws Exception {
        WebConfig config = WebConfig.parse("basic_auth_users:\n  alice: " + alice + "\n  bob: " + bob + "\n"
                + "http_server_config:\n  headers:\n    X-Frame-Options: deny\n", Path.of("."));
        WebSecurity web = new WebSecurity(config, Set.of("/-/healthy"));
        Javalin app = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            web.addConnectors(javalin.jetty, List.of(new ListenAddress("127.0.0.1", 0)));
            javalin.routes.before(web);
            javalin.routes.get("/", ctx -> ctx.result("ok"));
        }).start();
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            record Login(String header, int status) {
            }
            List<Login> logins = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                logins.add(switch (i % 6) {
                    case 0 -> new Login(basic("alice", "alice-pw"), 200);
                    case 1 -> new Login(basic("bob", "bob-pw"), 200);
                    case 2 -> new Login(basic("alice", "bob-pw"), 401);
                    case 3 -> new Login(basic("bob", "guess-" + i), 401);
                    case 4 -> new Login(basic("mallory-" + i, "alice-pw"), 401);
                    default -> new Login(null, 401);
                });
            }
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (Login login : logins) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/"))
                        .timeout(Duration.ofSeconds(60));
                if (login.header() != null) {
                    request.header("Authorization", login.header());
                }
                answers.add(client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (int i = 0; i < logins.size(); i++) {
                HttpResponse<String> response = answers.get(i).get();
                assertEquals(logins.get(i).status(), response.statusCode(), "login " + i);
                assertEquals(Optional.of("deny"), response.headers().firstValue("X-Frame-Options"), "login " + i);
                if (response.statusCode() == 200) {
                    assertEquals("ok", response.body());
                } else {
                    assertEquals(Optional.of("Basic realm=\"metrics\""), response.headers().firstValue("WWW-Authenticate"),
                            "login " + i);
                    assertFalse(response.body().contains("ok"), response.body());
                }
            }
        } finally {
            app.stop();
        }
    }

    @Test
    void open_paths_and_a_file_without_users_need_no_login() throws Exception {
        WebSecurity guarded = new WebSecurity(WebConfig.parse("basic_auth_users:\n  alice: " + alice + "\n",
                Path.of(".")), Set.of("/-/healthy"));
        WebSecurity open = new WebSecurity(WebConfig.NONE, Set.of());
        for (WebSecurity web : List.of(guarded, open)) {
            Javalin app = Javalin.create(javalin -> {
                javalin.startup.showJavalinBanner = false;
                web.addConnectors(javalin.jetty, List.of(new ListenAddress("127.0.0.1", 0)));
                javalin.routes.before(web);
                javalin.routes.get("/", ctx -> ctx.result("ok"));
                javalin.routes.get("/-/healthy", ctx -> ctx.result("healthy"));
            }).start();
            try {
                HttpClient client = HttpClient.newHttpClient();
                HttpResponse<String> healthy = TestPki.get(client, "http://127.0.0.1:" + app.port() + "/-/healthy");
                assertEquals(200, healthy.statusCode());
                HttpResponse<String> root = TestPki.get(client, "http://127.0.0.1:" + app.port() + "/");
                assertEquals(web == guarded ? 401 : 200, root.statusCode());
            } finally {
                app.stop();
            }
        }
    }
}
