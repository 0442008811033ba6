import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.SNMP4JSettings;
import org.snmp4j.Snmp;
import org.snmp4j.TransportMapping;
import org.snmp4j.mp.CounterSupport;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.AuthMD5;
import org.snmp4j.security.AuthSHA;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.PrivDES;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * snmp4j's engine for one set of credentials: a UDP socket with snmp4j's receiver and timer threads
 * (daemons), the message processing models and, for SNMPv3, a USM of its own with the user's localised keys
 * and the agents' engine IDs and times it has learned. Opening one costs a warm cisco run more than its
 * requests (two threads to start; for SNMPv3 also the password hashing and an engine discovery), so engines
 * are kept for the next runs with the same credentials (the community is per request, not the engine's).
 *
 * <p>Runs may overlap in one JVM (a warm worker runs several at once, each on its own thread): an engine
 * serves any number of runs at once (snmp4j matches each answer to its request by request ID, and each run's
 * session has its own listeners). {@value #KEPT} engines at most are kept, the least recently used retired
 * beyond that: a query parameter chooses the SNMPv3 user, and an engine holds a socket and two threads. A
 * retired engine is closed when no run uses it any more. Everything static here is guarded by the class.
 */
final class SnmpEngine {
    static final int KEPT = 4;
    /** By credentials, least recently used first. */
    private static final Map<Object, SnmpEngine> KEPT_ENGINES = new LinkedHashMap<>(8, 0.75f, true);

    final Snmp snmp;
    private final Object credentials; // the version for v2c, the V3 record for v3
    private int users;
    private boolean retired;

    private SnmpEngine(Snmp snmp, Object credentials) {
        this.snmp = snmp;
        this.credentials = credentials;
    }

    /** The engine for {@code settings}, kept or new; every acquire is followed by one {@link #release}. */
    static synchronized SnmpEngine acquire(SnmpSettings settings) throws IOException {
        Object credentials = settings.version() == SnmpSettings.Version.V3 ? settings.v3() : settings.version();
        SnmpEngine engine = KEPT_ENGINES.get(credentials);
        if (engine == null) {
            engine = new SnmpEngine(open(settings), credentials);
            KEPT_ENGINES.put(credentials, engine);
            Iterator<SnmpEngine> oldest = KEPT_ENGINES.values().iterator();
            while (KEPT_ENGINES.size() > KEPT) {
                SnmpEngine retiring = oldest.next();
                oldest.remove();
                retire(retiring);
            }
        }
        engine.users++;
        return engine;
    }

    static synchronized void release(SnmpEngine engine) {
        engine.users--;
        closeIfUnused(engine);
    }

    /** After a failure of the engine itself (its socket): the next run opens a new one. */
    static synchronized void discard(SnmpEngine engine) {
        if (KEPT_ENGINES.get(engine.credentials) == engine) {
            KEPT_ENGINES.remove(engine.credentials);
            retire(engine);
        }
    }

    /** Whether this engine's socket is still open (for tests). */
    boolean isOpen() {
        return snmp.getMessageDispatcher().getTransportMappings().stream().anyMatch(TransportMapping::isListening);
    }

    /** How many engines are kept (for tests). */
    static synchronized int kept() {
        return KEPT_ENGINES.size();
    }

    private static void retire(SnmpEngine engine) {
        engine.retired = true;
        closeIfUnused(engine);
    }

    /** A retired engine is closed once its last run has released it. */
    private static void closeIfUnused(SnmpEngine engine) {
        if (!engine.retired || engine.users > 0) {
            return;
        }
        try {
            engine.snmp.close(); // closes the socket and stops snmp4j's receiver and timer threads
        } catch (IOException e) {
            // nothing to do: the engine is not used again
        }
    }

    private static Snmp open(SnmpSettings settings) throws IOException {
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        dispatcher.addMessageProcessingModel(new MPv2c());
        if (settings.version() == SnmpSettings.Version.V3) {
            // An agent refusing our digest answers with an unauthenticated report; snmp4j's default drops it and
            // the run ends in a timeout that says nothing. This strategy accepts such reports only for a request
            // the agent could not authenticate, so a wrong password fails at once and by name. snmp4j offers it
            // JVM-wide only; every v3 engine sets the same value.
            SNMP4JSettings.setReportSecurityLevelStrategy(SNMP4JSettings.ReportSecurityLevelStrategy.noAuthNoPrivIfNeeded);
            dispatcher.addMessageProcessingModel(mpv3(settings.v3()));
        }
        DefaultUdpTransportMapping transport = new DefaultUdpTransportMapping(new UdpAddress("0.0.0.0/0"));
        Snmp snmp = new Snmp(dispatcher, transport);
        try {
            snmp.listen();
        } catch (IOException e) {
            snmp.close();
            throw e;
        }
        return snmp;
    }

    /** A USM of this engine's own, not snmp4j's process-wide singletons: engines do not see each other's users. */
    private static MPv3 mpv3(SnmpSettings.V3 v3) {
        SecurityProtocols protocols = new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.none);
        protocols.addAuthenticationProtocol(new AuthMD5());
        protocols.addAuthenticationProtocol(new AuthSHA());
        protocols.addAuthenticationProtocol(new AuthHMAC192SHA256());
        protocols.addPrivacyProtocol(new PrivAES128());
        protocols.addPrivacyProtocol(new PrivDES());
        byte[] engineId = MPv3.createLocalEngineID();
        CounterSupport counters = new CounterSupport();
        USM usm = new USM(protocols, new OctetString(engineId), 0, counters);
        OID auth = v3.auth() == null ? null : switch (v3.auth()) {
            case MD5 -> AuthMD5.ID;
            case SHA -> AuthSHA.ID;
            case SHA256 -> AuthHMAC192SHA256.ID;
        };
        OID priv = v3.priv() == null ? null : switch (v3.priv()) {
            case AES -> PrivAES128.ID;
            case DES -> PrivDES.ID;
        };
        usm.addUser(new UsmUser(new OctetString(v3.username()), auth, octets(v3.authPassword()), priv,
                octets(v3.privPassword())));
        return new MPv3(engineId, null, protocols, SecurityModels.getCollection(new SecurityModel[] {usm}), counters);
    }

    private static OctetString octets(String text) {
        return text == null ? null : new OctetString(text);
    }
}
