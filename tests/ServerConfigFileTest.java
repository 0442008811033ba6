import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** The server configuration file: a table of bad files with their errors, then what it decides for queries. */
class ServerConfigFileTest {
    @TempDir
    Path dir;
    static final Map<String, String> ENV = Map.of("DC1_PRIV", "priv-secret");
    static final String CONFIG = """
            exporters:
              cisco:
                allowed_targets: [sw1, 10.0.0.0/8, "fd00::/8", discovery]
                targets: [sw2, {target: "10.9.9.9:1161", module: dc1}, {target: sw3, module: dc1}]
                modules:
                  dc1:
                    args: ["--snmp-version=3", "--username=monitor", "--auth-protocol=SHA", "--priv-protocol=AES"]
                    env:
                      CISCO_AUTH_PASSWORD: {file: auth.secret}
                      CISCO_PRIV_PASSWORD: {env: DC1_PRIV}
                      PLAIN: plain-value
                    allowed_targets: [discovery, 192.168.1.0/24]
                  v2:
                    args: ["--community", "operators-community"]
              locked:
                allow_query_options: [target]
                modules:
                  m: {args: ["--timeout=3"]}
              closed:
                allow_query_options: []
            """;
    ServerConfigFile config;

    @BeforeEach
    void load() throws Exception {
        Files.writeString(dir.resolve("auth.secret"), "auth-secret\n");
        Files.writeString(dir.resolve("config.yml"), CONFIG);
        config = ServerConfigFile.load(dir.resolve("config.yml"), ENV);
    }

    record Bad(String name, String yaml, String error) {
    }

    static final String MODULE = "exporters:\n  cisco:\n    modules:\n      dc1:\n";

    @TestFactory
    Stream<DynamicTest> each_bad_file_gives_its_error() {
        return Stream.of(
                new Bad("unknown top-level key", "exporter: {}\n", "exporter: unknown key; known keys: exporters"),
                new Bad("exporters as a list", "exporters: [cisco]\n", "exporters: expected a mapping, got a list"),
                new Bad("a bad exporter name", "exporters:\n  'a b': {}\n",
                        "exporters.a b: not an exporter name ([A-Za-z0-9_-]+)"),
                new Bad("unknown exporter key", "exporters:\n  cisco:\n    module: {}\n",
                        "exporters.cisco.module: unknown key; known keys here: allow_query_options, allowed_targets, "
                                + "targets, modules"),
                new Bad("unknown module key", MODULE + "        argv: []\n",
                        "exporters.cisco.modules.dc1.argv: unknown key; known keys here: args, env, allowed_targets"),
                new Bad("args not a list", MODULE + "        args: --x=1\n",
                        "exporters.cisco.modules.dc1.args: expected a list, got a string"),
                new Bad("a number in args", MODULE + "        args: [3]\n",
                        "exporters.cisco.modules.dc1.args[0]: expected a string, got a number (quote it)"),
                new Bad("a short option in args", MODULE + "        args: ['-u=x']\n",
                        "exporters.cisco.modules.dc1.args[0]: '-u=x': write the long option (--name=value), so that "
                                + "the server can tell which options the module sets"),
                new Bad("an end of options in args", MODULE + "        args: ['--a=1', '--']\n",
                        "exporters.cisco.modules.dc1.args[1]: '--' would turn the query's options into arguments"),
                new Bad("a bad environment name", MODULE + "        env: {'1X': a}\n",
                        "exporters.cisco.modules.dc1.env.1X: not an environment variable name"),
                new Bad("a number in env", MODULE + "        env: {X: 3}\n",
                        "exporters.cisco.modules.dc1.env.X: expected a string, {file: PATH} or {env: NAME}, got a "
                                + "number (quote it)"),
                new Bad("file and env at once", MODULE + "        env: {X: {file: a, env: B}}\n",
                        "exporters.cisco.modules.dc1.env.X: give one of file or env"),
                new Bad("an unknown secret source", MODULE + "        env: {X: {path: a}}\n",
                        "exporters.cisco.modules.dc1.env.X.path: unknown key; known keys here: file, env"),
                new Bad("a secret file that is not there", MODULE + "        env: {X: {file: missing.secret}}\n",
                        "exporters.cisco.modules.dc1.env.X.file: cannot read " + dir.resolve("missing.secret")),
                new Bad("a variable the server lacks", MODULE + "        env: {X: {env: NOPE}}\n",
                        "exporters.cisco.modules.dc1.env.X.env: the server's environment has no NOPE"),
                new Bad("a target that is no host", "exporters:\n  cisco:\n    allowed_targets: ['sw 1']\n",
                        "exporters.cisco.allowed_targets[0]: 'sw 1' is not a host name, an IP address, a network "
                                + "(10.0.0.0/8) or 'discovery'"),
                new Bad("a network with host bits", "exporters:\n  cisco:\n    allowed_targets: [sw1, 10.1.0.0/8]\n",
                        "exporters.cisco.allowed_targets[1]: '10.1.0.0/8' has bits set after the first 8; write the "
                                + "network's first address"),
                new Bad("a prefix too long", "exporters:\n  cisco:\n    allowed_targets: [10.0.0.0/33]\n",
                        "exporters.cisco.allowed_targets[0]: '10.0.0.0/33': the prefix length must be 0 to 32"),
                new Bad("a network of a name", "exporters:\n  cisco:\n    allowed_targets: [sw1/8]\n",
                        "exporters.cisco.allowed_targets[0]: 'sw1/8' is not a network: 'sw1' is not an IP address"),
                new Bad("a module's list entry", MODULE + "        allowed_targets: ['*']\n",
                        "exporters.cisco.modules.dc1.allowed_targets[0]: '*' is not a host name, an IP address, a "
                                + "network (10.0.0.0/8) or 'discovery'"),
                new Bad("an option with dashes", "exporters:\n  cisco:\n    allow_query_options: ['--target']\n",
                        "exporters.cisco.allow_query_options[0]: '--target' is not an option name; write it without "
                                + "dashes, e.g. target"),
                new Bad("a target with an unknown module", "exporters:\n  cisco:\n    targets: [{target: sw1, module: nope}]\n",
                        "exporters.cisco.targets[0].module: no module 'nope' in this exporter"),
                new Bad("a target with a space", "exporters:\n  cisco:\n    targets: ['sw 1']\n",
                        "exporters.cisco.targets[0]: 'sw 1' is not HOST, HOST:PORT or [IPv6]:PORT"),
                new Bad("a target with an unknown key", "exporters:\n  cisco:\n    targets: [{host: sw1}]\n",
                        "exporters.cisco.targets[0].host: unknown key; known keys here: target, module"),
                new Bad("a duplicate module", MODULE + "        args: []\n      dc1:\n        args: []\n",
                        "not valid YAML: while constructing a mapping in 'string', line 4, column 7: dc1: ^ found "
                                + "duplicate key dc1 in 'string', line 6, column 7: dc1: ^")
        ).map(bad -> DynamicTest.dynamicTest(bad.name(), () -> {
            ConfigException e = assertThrows(ConfigException.class, () -> ServerConfigFile.parse(bad.yaml(), dir, ENV));
            assertEquals(bad.error(), e.getMessage());
        }));
    }

    @Test
    void an_empty_file_names_no_exporter_and_a_missing_one_is_named() throws Exception {
        assertTrue(ServerConfigFile.parse("", dir, ENV).exporters().isEmpty());
        assertTrue(ServerConfigFile.parse("exporters:\n  cisco:\n", dir, ENV).exporters().containsKey("cisco"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> ServerConfigFile.load(dir.resolve("nope.yml"), ENV));
        assertEquals(dir.resolve("nope.yml") + ": cannot read: no such file", e.getMessage());
        Files.writeString(dir.resolve("bad.yml"), "exporter: {}\n");
        ConfigException named = assertThrows(ConfigException.class,
                () -> ServerConfigFile.load(dir.resolve("bad.yml"), ENV));
        assertEquals(dir.resolve("bad.yml") + ": exporter: unknown key; known keys: exporters", named.getMessage());
    }

    private ServerConfigFile.Decision decide(String exporter, String... query) {
        return config.decide(exporter, List.of(query));
    }

    private static void refused(ServerConfigFile.Decision decision, String message) {
        assertEquals(new ServerConfigFile.Refused(message), decision);
    }

    private static void runs(ServerConfigFile.Decision decision) {
        assertTrue(decision instanceof ServerConfigFile.Run, decision.toString());
    }

    @Test
    void a_module_gives_its_arguments_and_environment_before_the_query() {
        ServerConfigFile.Decision decision = decide("cisco", "--module=dc1", "--target=sw3");
        assertEquals(new ServerConfigFile.Run("dc1", List.of("--snmp-version=3", "--username=monitor", "--auth-protocol=SHA",
                "--priv-protocol=AES", "--target=sw3"), Map.of("CISCO_AUTH_PASSWORD", "auth-secret",
                "CISCO_PRIV_PASSWORD", "priv-secret", "PLAIN", "plain-value")), decision);
    }

    @Test
    void an_exporter_the_file_does_not_name_runs_as_without_a_file() {
        assertEquals(new ServerConfigFile.Run(null, List.of("--target=anything", "-v"), Map.of()),
                decide("dummy", "--target=anything", "-v"));
        assertEquals(new ServerConfigFile.Run(null, List.of("--x=1"), Map.of()),
                ServerConfigFile.NONE.decide("cisco", List.of("--x=1")));
    }

    @Test
    void an_unknown_module_is_refused() {
        refused(decide("cisco", "--module=dc9", "--target=sw1"),
                "unknown module 'dc9' for exporter cisco; modules: dc1, v2");
        refused(decide("dummy", "--module=a"), "unknown module 'a' for exporter dummy: it has no modules");
        refused(ServerConfigFile.NONE.decide("cisco", List.of("--module=dc1")),
                "unknown module 'dc1' for exporter cisco: it has no modules");
        refused(decide("cisco", "--module=dc1", "--module=v2"), "query parameter 'module' is given twice");
        refused(decide("cisco", "--module"), "query parameter 'module' needs a value");
    }

    @Test
    void a_query_cannot_set_an_option_its_module_sets() {
        refused(decide("cisco", "--module=dc1", "--target=sw3", "--username=admin"),
                "query option 'username' is set by module dc1; a query cannot change a module's settings");
        refused(decide("cisco", "--module=dc1", "--auth-protocol"),
                "query option 'auth-protocol' is set by module dc1; a query cannot change a module's settings");
        refused(decide("cisco", "--module=v2", "--community=mine"),
                "query option 'community' is set by module v2; a query cannot change a module's settings");
        refused(decide("cisco", "--module=dc1", "-u=admin"),
                "query option 'u': give the long name of the option; short ones cannot be checked against the "
                        + "configuration");
        refused(decide("cisco", "--module=dc1", "--"), "query option '--' has no name");
        // without the module, the same option is the scraper's to give
        runs(decide("cisco", "--username=admin", "--target=sw1"));
    }

    @Test
    void allow_query_options_closes_every_other_option() {
        runs(decide("locked", "--target=anything"));
        runs(decide("locked", "--module=m", "--target=anything"));
        refused(decide("locked", "--target=a", "--community=x"),
                "query option 'community' is not allowed for exporter locked; allowed: target");
        refused(decide("locked", "-t=a"), "query option 't': give the long name of the option; short ones cannot be "
                + "checked against the configuration");
        refused(decide("closed", "--target=a"), "query option 'target' is not allowed for exporter closed; it takes none");
        runs(decide("closed"));
    }

    @Test
    void targets_without_a_module_must_be_on_the_exporters_list() {
        for (String allowed : List.of("sw1", "SW1", "sw1.", "sw1:1161", "10.1.2.3", "10.1.2.3:1161", "fd00::1",
                "[fd00::1]:161", "::ffff:10.0.0.1", "sw2")) {
            runs(decide("cisco", "--target=" + allowed));
        }
        for (String refused : List.of("sw3", "11.0.0.1", "sw1.evil.example", "evil", "010.0.0.1", "167772161",
                "0x0a000001", "localhost", "fe80::1", "sw1:x:y", "")) {
            refused(decide("cisco", "--target=" + refused), refused.isEmpty() ? "query option 'target' needs a value"
                    : "target '" + refused + "' is not allowed for exporter cisco (allowed_targets; a name must be "
                    + "listed as it is written: names are not resolved)");
        }
        refused(decide("cisco", "--target=sw1,evil"), "target 'evil' is not allowed for exporter cisco (allowed_targets; "
                + "a name must be listed as it is written: names are not resolved)");
        refused(decide("cisco", "--target=sw1", "--target=11.0.0.1"), "target '11.0.0.1' is not allowed for exporter "
                + "cisco (allowed_targets; a name must be listed as it is written: names are not resolved)");
        refused(decide("cisco", "--target"), "query option 'target' needs a value");
    }

    @Test
    void a_modules_list_replaces_the_exporters_and_discovery_means_its_own_targets() {
        for (String allowed : List.of("sw3", "10.9.9.9", "10.9.9.9:161", "192.168.1.7")) {
            runs(decide("cisco", "--module=dc1", "--target=" + allowed));
        }
        for (String refused : List.of("sw1", "sw2", "10.1.2.3", "192.168.2.1")) {
            refused(decide("cisco", "--module=dc1", "--target=" + refused), "target '" + refused + "' is not allowed "
                    + "for exporter cisco with module dc1 (allowed_targets; a name must be listed as it is written: "
                    + "names are not resolved)");
        }
        // v2 has no list: the exporter's applies, and its "discovery" means the targets discovered with v2 (none)
        runs(decide("cisco", "--module=v2", "--target=sw1"));
        refused(decide("cisco", "--module=v2", "--target=sw2"), "target 'sw2' is not allowed for exporter cisco with "
                + "module v2 (allowed_targets; a name must be listed as it is written: names are not resolved)");
    }

    @Test
    void discovery_targets_carry_their_module() {
        assertEquals(List.of(new ServerConfigFile.Target("sw2", Optional.empty()),
                new ServerConfigFile.Target("10.9.9.9:1161", Optional.of("dc1")),
                new ServerConfigFile.Target("sw3", Optional.of("dc1"))), config.targets("cisco"));
        assertEquals(List.of(), config.targets("locked"));
        assertEquals(List.of(), config.targets("unknown"));
    }

    @Test
    void a_secret_file_is_read_at_each_run_so_it_can_rotate() throws Exception {
        Files.writeString(dir.resolve("auth.secret"), "rotated-secret");
        ServerConfigFile.Run run = (ServerConfigFile.Run) decide("cisco", "--module=dc1", "--target=sw3");
        assertEquals("rotated-secret", run.environment().get("CISCO_AUTH_PASSWORD"));
        Files.delete(dir.resolve("auth.secret"));
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> decide("cisco", "--module=dc1", "--target=sw3"));
        assertEquals("cannot read " + dir.resolve("auth.secret") + ": no such file", e.getMessage());
    }

    @Test
    void secrets_never_appear_in_toString() {
        ServerConfigFile.Decision run = decide("cisco", "--module=dc1", "--target=sw3");
        for (String shown : List.of(config.toString(), run.toString(),
                config.exporters().get("cisco").modules().get("dc1").toString())) {
            for (String secret : List.of("auth-secret", "priv-secret", "plain-value")) {
                assertFalse(shown.contains(secret), shown);
            }
        }
        assertTrue(config.toString().contains("{file: " + dir.resolve("auth.secret") + "}"), config.toString());
        assertTrue(config.toString().contains("{env: DC1_PRIV}"), config.toString());
        assertTrue(config.toString().contains("PLAIN=<hidden>"), config.toString());
        assertTrue(run.toString().contains("CISCO_AUTH_PASSWORD"), run.toString());
    }

    @Test
    void ip_literals_are_told_from_names_without_any_lookup() {
        assertEquals(Optional.empty(), TargetAllowList.ipLiteral("localhost"));
        assertEquals(Optional.empty(), TargetAllowList.ipLiteral("010.0.0.1"));
        assertEquals(Optional.empty(), TargetAllowList.ipLiteral("256.0.0.1"));
        assertEquals(Optional.empty(), TargetAllowList.ipLiteral("abc::1::2"));
        assertEquals(Optional.empty(), TargetAllowList.ipLiteral("dead:beef"));
        assertEquals("/10.0.0.1", TargetAllowList.ipLiteral("::ffff:10.0.0.1").orElseThrow().toString());
        assertEquals("/0:0:0:0:0:0:0:1", TargetAllowList.ipLiteral("::1").orElseThrow().toString());
        assertEquals("sw1", TargetAllowList.host("sw1:161"));
        assertEquals("fd00::1", TargetAllowList.host("[fd00::1]:161"));
        assertEquals("fd00::1", TargetAllowList.host("fd00::1"));
    }
}
