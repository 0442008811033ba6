import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real net-snmp agent ({@code snmpd}, Debian {@code snmpd}) in the foreground on a free UDP loopback port, with
 * a v2c community and SNMPv3 users (SHA + AES, SHA-256 without privacy, MD5 + DES, SHA-256 + AES), its persistent files
 * in a directory of the test; stopped on close.
 */
final class Snmpd implements AutoCloseable {
    static final String COMMUNITY = "metricstest";
    static final String USER = "metricsv3";
    static final String SHA256_USER = "metricsv3sha256"; // authNoPriv
    static final String MD5_DES_USER = "metricsv3md5des";
    static final String SHA256_AES_USER = "metricsv3sha256aes";
    static final String AUTH_PASSWORD = "auth-secret-1";
    static final String PRIV_PASSWORD = "priv-secret-1";

    private final Process process;
    private final Path dir;
    final int port;

    private Snmpd(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    static Snmpd start(Path dir) throws Exception {
        String binary = Commands.require("snmpd", "snmpd");
        int port = SnmpAgents.freeUdpPort();
        Path persistent = Files.createDirectories(dir.resolve("persistent"));
        Path conf = dir.resolve("snmpd.conf");
        Files.writeString(conf, String.join("\n",
                "agentAddress udp:127.0.0.1:" + port,
                "rocommunity " + COMMUNITY + " 127.0.0.1",
                "createUser " + USER + " SHA \"" + AUTH_PASSWORD + "\" AES \"" + PRIV_PASSWORD + "\"",
                "rouser " + USER + " priv",
                "createUser " + SHA256_USER + " SHA-256 \"" + AUTH_PASSWORD + "\"",
                "rouser " + SHA256_USER + " auth",
                "createUser " + MD5_DES_USER + " MD5 \"" + AUTH_PASSWORD + "\" DES \"" + PRIV_PASSWORD + "\"",
                "rouser " + MD5_DES_USER + " priv",
                "createUser " + SHA256_AES_USER + " SHA-256 \"" + AUTH_PASSWORD + "\" AES \"" + PRIV_PASSWORD + "\"",
                "rouser " + SHA256_AES_USER + " priv",
                ""));
        // -C: no configuration but ours; -f: foreground, so the test owns the process; no SMUX (TCP port 199)
        ProcessBuilder builder = new ProcessBuilder(binary, "-f", "-C", "-c", conf.toString(), "-I", "-smux",
                "-Lf", dir.resolve("snmpd.log").toString(), "-p", dir.resolve("snmpd.pid").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("snmpd.out").toFile());
        builder.environment().put("SNMP_PERSISTENT_DIR", persistent.toString());
        builder.environment().put("MIBS", ""); // numeric OIDs only: no MIB parsing, no MIB warnings in the log
        Snmpd agent = new Snmpd(builder.start(), dir, port);
        try {
            SnmpAgents.awaitAnswer("snmpd", agent.process, agent.address(), COMMUNITY, dir, agent::log);
        } catch (Throwable e) {
            agent.close();
            throw e;
        }
        return agent;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    String log() {
        try {
            return Files.readString(dir.resolve("snmpd.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        SnmpAgents.stop(process);
    }
}
