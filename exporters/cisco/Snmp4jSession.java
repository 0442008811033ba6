import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.snmp4j.CommunityTarget;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.SNMP4JSettings;
import org.snmp4j.ScopedPDU;
import org.snmp4j.Snmp;
import org.snmp4j.Target;
import org.snmp4j.UserTarget;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.event.ResponseListener;
import org.snmp4j.mp.CounterSupport;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.AuthMD5;
import org.snmp4j.security.AuthSHA;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.PrivDES;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * One snmp4j session for a whole run: one UDP socket and snmp4j's two threads (receiver, timer), shared by
 * every target and closed at the end. Requests are sent without waiting ({@link SnmpClient#send}); the receiver
 * (or the timer, at a timeout) hands each answer back to the run's thread. The USM and its protocols are this session's own, not snmp4j's
 * process-wide singletons, so runs in one JVM do not see each other's users.
 */
final class Snmp4jSession implements AutoCloseable {
    /** What the agent means by a report PDU (RFC 3414), for an error a person can act on. */
    private static final Map<OID, String> REPORTS = Map.of(
            SnmpConstants.usmStatsWrongDigests, "authentication failed: wrong digest (check the auth password and protocol)",
            SnmpConstants.usmStatsUnknownUserNames, "unknown user name",
            SnmpConstants.usmStatsUnsupportedSecLevels, "security level not supported for this user",
            SnmpConstants.usmStatsDecryptionErrors, "decryption failed (check the privacy password and protocol)",
            SnmpConstants.usmStatsNotInTimeWindows, "message not in the time window",
            SnmpConstants.usmStatsUnknownEngineIDs, "unknown engine ID");

    private final Snmp snmp;
    private final SnmpSettings settings;

    private Snmp4jSession(Snmp snmp, SnmpSettings settings) {
        this.snmp = snmp;
        this.settings = settings;
    }

    static Snmp4jSession open(SnmpSettings settings) throws IOException {
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        dispatcher.addMessageProcessingModel(new MPv2c());
        if (settings.version() == SnmpSettings.Version.V3) {
            // An agent refusing our digest answers with an unauthenticated report; snmp4j's default drops it and
            // the run ends in a timeout that says nothing. This strategy accepts such reports only for a request
            // the agent could not authenticate, so a wrong password fails at once and by name. snmp4j offers it
            // JVM-wide only; every v3 run sets the same value.
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
        return new Snmp4jSession(snmp, settings);
    }

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

    /** A client for {@code address}; resolving the host name is the caller's first request. */
    SnmpClient client(TargetAddress address) throws UnknownHostException {
        Target<UdpAddress> target = target(new UdpAddress(InetAddress.getByName(address.host()), address.port()));
        return new SnmpClient() {
            @Override
            public List<VariableBinding> getBulk(List<OID> oids, int nonRepeaters, int maxRepetitions) throws IOException {
                return bindings(snmp.send(pdu(oids, nonRepeaters, maxRepetitions), target));
            }

            @Override
            public void send(List<OID> oids, int nonRepeaters, int maxRepetitions, Callback callback) {
                Snmp4jSession.this.send(target, pdu(oids, nonRepeaters, maxRepetitions), callback);
            }
        };
    }

    /** Sends without waiting: snmp4j's receiver thread (or its timer, at the timeout) calls back. */
    private void send(Target<UdpAddress> target, PDU pdu, SnmpClient.Callback callback) {
        ResponseListener listener = new ResponseListener() {
            @Override
            public <A extends Address> void onResponse(ResponseEvent<A> event) {
                snmp.cancel(event.getRequest(), this); // answered: no retry, no second call
                callback.deliver(() -> bindings(event));
            }
        };
        try {
            snmp.send(pdu, target, null, listener);
        } catch (IOException e) {
            callback.answered(null, e);
        }
    }

    private Target<UdpAddress> target(UdpAddress address) {
        Target<UdpAddress> target;
        if (settings.version() == SnmpSettings.Version.V3) {
            SnmpSettings.V3 v3 = settings.v3();
            UserTarget<UdpAddress> user = new UserTarget<>();
            user.setSecurityName(new OctetString(v3.username()));
            user.setSecurityLevel(v3.auth() == null ? SecurityLevel.NOAUTH_NOPRIV
                    : v3.priv() == null ? SecurityLevel.AUTH_NOPRIV : SecurityLevel.AUTH_PRIV);
            user.setVersion(SnmpConstants.version3);
            target = user;
        } else {
            CommunityTarget<UdpAddress> community = new CommunityTarget<>();
            community.setCommunity(new OctetString(settings.community()));
            community.setVersion(SnmpConstants.version2c);
            target = community;
        }
        target.setAddress(address);
        target.setTimeout(settings.timeout().toMillis()); // per try; snmp4j waits this long before each retry
        target.setRetries(settings.retries());
        return target;
    }

    private PDU pdu(List<OID> oids, int nonRepeaters, int maxRepetitions) {
        PDU pdu = settings.version() == SnmpSettings.Version.V3 ? new ScopedPDU() : new PDU();
        pdu.setType(PDU.GETBULK);
        pdu.setNonRepeaters(nonRepeaters);
        pdu.setMaxRepetitions(maxRepetitions);
        for (OID oid : oids) {
            pdu.add(new VariableBinding(oid));
        }
        return pdu;
    }

    /** The bindings of an answer, or why there is none. */
    private List<VariableBinding> bindings(ResponseEvent<?> event) throws IOException {
        if (event.getError() != null) {
            throw new IOException(event.getError().getMessage(), event.getError());
        }
        PDU response = event.getResponse();
        if (response == null) {
            throw new IOException("no answer within " + seconds(settings.timeout().toMillis()) + " s × "
                    + (settings.retries() + 1) + " tries (no agent there, or "
                    + (settings.version() == SnmpSettings.Version.V3 ? "wrong SNMPv3 credentials)" : "wrong community)"));
        }
        if (response.getType() == PDU.REPORT) {
            OID report = response.size() == 0 ? new OID() : response.get(0).getOid();
            throw new IOException("SNMPv3 user '" + settings.v3().username() + "': " + describeReport(report));
        }
        if (response.getErrorStatus() != PDU.noError) {
            throw new SnmpClient.AgentError(response.getErrorStatus(), "the agent answered " + response.getErrorStatusText());
        }
        return List.copyOf(response.getVariableBindings());
    }

    static String describeReport(OID report) {
        OID scalar = withoutInstance(report);
        for (Map.Entry<OID, String> known : REPORTS.entrySet()) {
            if (withoutInstance(known.getKey()).equals(scalar)) {
                return known.getValue();
            }
        }
        return "the agent sent report " + report;
    }

    private static OID withoutInstance(OID oid) {
        OID copy = new OID(oid); // snmp4j's OIDs are mutable: never trim a shared one
        return copy.size() > 0 && copy.last() == 0 ? copy.trim() : copy;
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }

    @Override
    public void close() throws IOException {
        snmp.close(); // closes the socket and stops snmp4j's receiver and timer threads
    }
}
