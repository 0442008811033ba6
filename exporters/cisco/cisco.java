///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS org.snmp4j:snmp4j:3.13.1
//SOURCES ../Exporter.java
//SOURCES Mibs.java
//SOURCES SnmpClient.java
//SOURCES SnmpTable.java
//SOURCES SnmpWalker.java
//SOURCES SnmpValues.java
//SOURCES SnmpSettings.java
//SOURCES SnmpEngine.java
//SOURCES Snmp4jSession.java
//SOURCES TargetAddress.java
//SOURCES PollGroup.java
//SOURCES TargetReading.java
//SOURCES TargetPoller.java
//SOURCES Families.java
//SOURCES InterfaceMetrics.java
//SOURCES BgpMetrics.java
//SOURCES SystemMetrics.java
//SOURCES CiscoMetrics.java
//DESCRIPTION Cisco switches and routers (NX-OS, IOS, IOS-XE, IOS-XR) over SNMP v2c/v3: interfaces, SVIs, counters, BGP peers, CPUs and memory.

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The original's Cisco exporter, reading over SNMP what it read from NX-OS {@code show ... | json} over SSH. */
@Command(name = "cisco", sortOptions = false, usageHelpAutoWidth = true,
        description = "Reads Cisco switches over SNMP. SNMPv3 passwords come from the environment only: "
                + "CISCO_AUTH_PASSWORD and CISCO_PRIV_PASSWORD.")
public class cisco extends Exporter {
    static final String TARGETS_ENV = "CISCO_TARGETS";
    static final String AUTH_PASSWORD_ENV = "CISCO_AUTH_PASSWORD";
    static final String PRIV_PASSWORD_ENV = "CISCO_PRIV_PASSWORD";

    @Option(names = "--target", paramLabel = "HOST[:PORT]",
            description = "A switch to read (port 161 by default), repeatable; default: the comma-separated "
                    + TARGETS_ENV + ". The instance label is the target as given.")
    List<String> targets = new ArrayList<>();

    @Option(names = "--snmp-version", paramLabel = "2c|3", defaultValue = "2c", description = "SNMP version (default 2c).")
    String snmpVersion;

    // The default comes from the environment, so the community stays out of URLs, ps and logs.
    @Option(names = "--community", paramLabel = "COMMUNITY", defaultValue = "${env:CISCO_COMMUNITY:-public}",
            description = "SNMPv2c community (default: CISCO_COMMUNITY, else public).")
    String community;

    @Option(names = "--username", paramLabel = "NAME", description = "SNMPv3 user name.")
    String username;

    @Option(names = "--auth-protocol", paramLabel = "SHA|SHA-256|MD5",
            description = "SNMPv3 authentication protocol; the password is " + AUTH_PASSWORD_ENV + ".")
    String authProtocol;

    @Option(names = "--priv-protocol", paramLabel = "AES|DES",
            description = "SNMPv3 privacy protocol (needs --auth-protocol); the password is " + PRIV_PASSWORD_ENV + ".")
    String privProtocol;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "Seconds to wait for each answer before a retry (default 5).")
    double timeout;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "2", description = "Retries of a request (default 2).")
    int retries;

    @Option(names = "--max-repetitions", paramLabel = "N", defaultValue = "25",
            description = "Rows asked for in each GETBULK request (default 25).")
    int maxRepetitions;

    public static void main(String[] args) {
        Exporter.runAndExit(new cisco(), args);
    }

    @Override
    public void gatherMetrics() throws Exception {
        Map<String, String> env = System.getenv();
        List<TargetAddress> addresses = targets(env);
        SnmpSettings settings = settings(env);
        List<TargetReading> readings;
        try (Snmp4jSession session = Snmp4jSession.open(settings)) {
            readings = TargetPoller.poll(addresses, session::client, maxRepetitions, settings.requestBound());
        }
        for (TargetReading reading : readings) {
            report(reading);
        }
        if (readings.stream().noneMatch(TargetReading::up)) {
            throw new IOException("no target could be read: " + readings.stream()
                    .map(r -> r.instance() + " (" + r.why() + ")").collect(Collectors.joining("; ")));
        }
        Families families = CiscoMetrics.build(readings, (function, step) -> {
            try {
                observed(function, step::run);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) { // step is a Runnable: never
                throw new IllegalStateException(e);
            }
        });
        for (String duplicate : families.duplicates()) {
            System.err.println("cisco: warning: series reported once, though read twice: " + duplicate);
        }
        metrics.register(CiscoMetrics.collector(families.list()));
    }

    /** What failed of a target is a warning on stderr: the rest of it, and the other targets, still count. */
    private void report(TargetReading reading) {
        if (!reading.up()) {
            System.err.println("cisco: warning: " + reading.instance() + ": " + reading.why());
            return;
        }
        reading.errors().forEach((group, error) ->
                System.err.println("cisco: warning: " + reading.instance() + ": " + group.command + ": " + error));
        reading.failures().forEach((group, failures) -> failures.forEach(failure ->
                System.err.println("cisco: warning: " + reading.instance() + ": " + group.command + ": " + failure
                        + "; left out, the rest read")));
        if (debug) {
            reading.seconds().forEach((group, seconds) -> System.err.printf(Locale.ROOT,
                    "cisco: %s: %s took %.4f s%n", reading.instance(), group.command, seconds));
        }
    }

    List<TargetAddress> targets(Map<String, String> env) {
        List<String> given = targets;
        if (given.isEmpty() && env.get(TARGETS_ENV) != null) {
            given = List.of(env.get(TARGETS_ENV).split(","));
        }
        Map<String, TargetAddress> parsed = new LinkedHashMap<>(); // the same target twice is read once
        for (String text : given) {
            if (text.isBlank()) {
                continue;
            }
            try {
                TargetAddress address = TargetAddress.parse(text);
                parsed.putIfAbsent(address.text(), address);
            } catch (IllegalArgumentException e) {
                throw usage("Invalid --target " + e.getMessage());
            }
        }
        if (parsed.isEmpty()) {
            throw usage("No target: give --target HOST[:PORT] (repeatable) or set " + TARGETS_ENV + " (comma-separated)");
        }
        return List.copyOf(parsed.values());
    }

    SnmpSettings settings(Map<String, String> env) {
        if (!(timeout > 0) || timeout > 3600) {
            throw usage("Invalid --timeout " + timeout + ": seconds, more than 0");
        }
        if (retries < 0 || retries > 20) {
            throw usage("Invalid --retries " + retries + ": 0 to 20");
        }
        if (maxRepetitions < 1 || maxRepetitions > 1000) {
            throw usage("Invalid --max-repetitions " + maxRepetitions + ": 1 to 1000");
        }
        Duration perTry = Duration.ofMillis(Math.max(1, Math.round(timeout * 1000)));
        switch (snmpVersion.toLowerCase(Locale.ROOT)) {
            case "2c", "2" -> {
                if (username != null || authProtocol != null || privProtocol != null) {
                    throw usage("--username, --auth-protocol and --priv-protocol need --snmp-version 3");
                }
                return new SnmpSettings(SnmpSettings.Version.V2C, community, null, perTry, retries);
            }
            case "3" -> {
                return new SnmpSettings(SnmpSettings.Version.V3, null, v3(env), perTry, retries);
            }
            default -> throw usage("Invalid --snmp-version '" + snmpVersion + "': 2c or 3");
        }
    }

    private SnmpSettings.V3 v3(Map<String, String> env) {
        if (username == null || username.isBlank()) {
            throw usage("--snmp-version 3 needs --username");
        }
        SnmpSettings.AuthProtocol auth = null;
        String authPassword = null;
        if (authProtocol != null) {
            auth = switch (authProtocol.toUpperCase(Locale.ROOT).replace("-", "")) {
                case "SHA", "SHA1" -> SnmpSettings.AuthProtocol.SHA;
                case "SHA256" -> SnmpSettings.AuthProtocol.SHA256;
                case "MD5" -> SnmpSettings.AuthProtocol.MD5;
                default -> throw usage("Invalid --auth-protocol '" + authProtocol + "': SHA, SHA-256 or MD5");
            };
            authPassword = password(env, AUTH_PASSWORD_ENV, "--auth-protocol");
        }
        SnmpSettings.PrivProtocol priv = null;
        String privPassword = null;
        if (privProtocol != null) {
            if (auth == null) {
                throw usage("--priv-protocol needs --auth-protocol (SNMPv3 has no privacy without authentication)");
            }
            priv = switch (privProtocol.toUpperCase(Locale.ROOT)) {
                case "AES", "AES128" -> SnmpSettings.PrivProtocol.AES;
                case "DES" -> SnmpSettings.PrivProtocol.DES;
                default -> throw usage("Invalid --priv-protocol '" + privProtocol + "': AES or DES");
            };
            privPassword = password(env, PRIV_PASSWORD_ENV, "--priv-protocol");
        }
        return new SnmpSettings.V3(username, auth, authPassword, priv, privPassword);
    }

    /** From the environment only: a password on the command line would show in ps and in server URLs. */
    private String password(Map<String, String> env, String name, String option) {
        String password = env.get(name);
        if (password == null || password.isEmpty()) {
            throw usage(option + " needs the password in the environment variable " + name);
        }
        if (password.length() < 8) { // RFC 3414: shorter passwords are not allowed
            throw usage(name + " is too short: SNMPv3 passwords have at least 8 characters");
        }
        return password;
    }
}
