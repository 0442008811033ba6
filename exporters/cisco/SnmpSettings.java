import java.time.Duration;

/** How to talk to every target of a run: the SNMP version, credentials, and patience. */
record SnmpSettings(Version version, String community, V3 v3, Duration timeout, int retries) {

    enum Version { V2C, V3 }

    /** SNMPv3 USM credentials; a null protocol means that level is off (noAuthNoPriv, authNoPriv). */
    record V3(String username, AuthProtocol auth, String authPassword, PrivProtocol priv, String privPassword) {
        @Override
        public String toString() { // never print the passwords
            return "V3[" + username + ", " + auth + ", " + priv + "]";
        }
    }

    enum AuthProtocol { MD5, SHA, SHA256 }

    enum PrivProtocol { AES, DES }

    /** The longest one request may take: every try waits the timeout. */
    Duration requestBound() {
        return timeout.multipliedBy(retries + 1L);
    }

    @Override
    public String toString() { // the community is a password too
        return "SnmpSettings[" + version + ", " + v3 + ", timeout " + timeout + ", retries " + retries + "]";
    }
}
