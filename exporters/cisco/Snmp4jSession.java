import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.snmp4j.CommunityTarget;
import org.snmp4j.PDU;
import org.snmp4j.ScopedPDU;
import org.snmp4j.Target;
import org.snmp4j.UserTarget;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.event.ResponseListener;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;

/**
 * A run's SNMP session: its requests to every target, over the engine ({@link SnmpEngine}: socket, threads,
 * USM) kept for runs with the same credentials. Requests are sent without waiting ({@link SnmpClient#send});
 * snmp4j's receiver (or its timer, at a timeout) hands each answer back to the run's thread. Closing the
 * session cancels whatever of its requests is still pending, so no answer reaches a run that has ended.
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

    private final SnmpEngine engine;
    private final SnmpSettings settings;
    /** This session's requests still waiting for an answer or a timeout, by their listener (one per request). */
    private final Map<ResponseListener, PDU> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private Snmp4jSession(SnmpEngine engine, SnmpSettings settings) {
        this.engine = engine;
        this.settings = settings;
    }

    static Snmp4jSession open(SnmpSettings settings) throws IOException {
        return new Snmp4jSession(SnmpEngine.acquire(settings), settings);
    }

    SnmpEngine engine() {
        return engine;
    }

    /** A client for {@code address}; resolving the host name is the caller's first request. */
    SnmpClient client(TargetAddress address) throws UnknownHostException {
        Target<UdpAddress> target = target(new UdpAddress(InetAddress.getByName(address.host()), address.port()));
        return new SnmpClient() {
            @Override
            public List<VariableBinding> getBulk(List<OID> oids, int nonRepeaters, int maxRepetitions) throws IOException {
                return bindings(engine.snmp.send(pdu(oids, nonRepeaters, maxRepetitions), target));
            }

            @Override
            public List<VariableBinding> get(List<OID> oids) throws IOException {
                return bindings(engine.snmp.send(getPdu(oids), target));
            }

            @Override
            public void send(SnmpWalker.Request request, Callback callback) {
                Snmp4jSession.this.send(target, request.get() ? getPdu(request.oids())
                        : pdu(request.oids(), request.nonRepeaters(), request.maxRepetitions()), callback);
            }
        };
    }

    /** Sends without waiting: snmp4j's receiver thread (or its timer, at the timeout) calls back. */
    private void send(Target<UdpAddress> target, PDU pdu, SnmpClient.Callback callback) {
        ResponseListener listener = new ResponseListener() {
            @Override
            public <A extends Address> void onResponse(ResponseEvent<A> event) {
                engine.snmp.cancel(event.getRequest(), this); // answered: no retry, no second call
                if (pending.remove(this) != null) { // else the session was closed: the run has ended
                    callback.deliver(() -> bindings(event));
                }
            }
        };
        pending.put(listener, pdu);
        try {
            engine.snmp.send(pdu, target, null, listener);
        } catch (IOException e) {
            pending.remove(listener);
            SnmpEngine.discard(engine); // its socket failed: the next run opens a new one
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
        PDU pdu = getPdu(oids);
        pdu.setType(PDU.GETBULK);
        pdu.setNonRepeaters(nonRepeaters);
        pdu.setMaxRepetitions(maxRepetitions);
        return pdu;
    }

    private PDU getPdu(List<OID> oids) {
        PDU pdu = settings.version() == SnmpSettings.Version.V3 ? new ScopedPDU() : new PDU();
        pdu.setType(PDU.GET);
        for (OID oid : oids) {
            pdu.add(new VariableBinding(oid)); // a copy of oid: the Mibs constants are shared
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
            int tries = settings.retries() + 1; // ASCII only: stderr under cron's POSIX locale has no "×"
            throw new SnmpClient.Timeout("timeout: no answer in " + tries + (tries == 1 ? " try" : " tries") + " of "
                    + seconds(settings.timeout().toMillis()) + " s", "no SNMP agent there, or "
                    + (settings.version() == SnmpSettings.Version.V3 ? "wrong SNMPv3 credentials" : "a wrong community"));
        }
        if (response.getType() == PDU.REPORT) {
            OID report = response.size() == 0 ? new OID() : response.get(0).getOid();
            throw new IOException("SNMPv3 user '" + settings.v3().username() + "': " + describeReport(report));
        }
        if (response.getErrorStatus() != PDU.noError) {
            throw new SnmpClient.AgentError(response.getErrorStatus(), response.getErrorIndex());
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
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        for (Map.Entry<ResponseListener, PDU> request : pending.entrySet()) {
            if (pending.remove(request.getKey()) != null) {
                engine.snmp.cancel(request.getValue(), request.getKey());
            }
        }
        SnmpEngine.release(engine);
    }
}
