import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.snmp4j.PDU;
import org.snmp4j.asn1.BER;
import org.snmp4j.asn1.BERInputStream;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.VariableBinding;

/**
 * A UDP proxy in front of an SNMP v2c agent (snmpsimd) that misbehaves on purpose, as real agents do: for the
 * requests naming an OID under a given column it answers genErr (with the error-index of that binding, or
 * none), echoes the requested OIDs with NULL values instead of the agent's answer ("OID not increasing"), or
 * does not answer at all. Everything else passes through unchanged.
 */
final class SnmpProxy implements AutoCloseable {
    enum Fault {
        /** error-status genErr, error-index naming the binding. */
        GEN_ERR,
        /** error-status genErr, error-index 0. */
        GEN_ERR_UNNAMED,
        /** the bindings asked under the column come back as the OIDs asked, with NULL values. */
        NULLS,
        /** no answer to a request for rows of the column (a GETNEXT of the column itself, a probe, passes). */
        SILENT
    }

    private record Rule(OID column, Fault fault) {
    }

    private record Message(Integer32 version, OctetString community, PDU pdu) {
    }

    private final DatagramSocket front;
    private final DatagramSocket back;
    private final InetSocketAddress agent;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Map<Integer, SocketAddress> clients = new ConcurrentHashMap<>();
    private final Map<Integer, PDU> requests = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    /** Requests received (retries included). */
    final AtomicInteger received = new AtomicInteger();
    /** What each request asked and got: {@code GETBULK 3 oids (1 non-repeaters, 25 repetitions): 51 bindings}. */
    final List<String> log = new CopyOnWriteArrayList<>();

    private SnmpProxy(InetSocketAddress agent) throws SocketException {
        this.agent = agent;
        this.front = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        this.back = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    }

    /** A proxy on a free loopback port in front of the agent at {@code host:port}. */
    static SnmpProxy start(String host, int port) throws SocketException {
        SnmpProxy proxy = new SnmpProxy(new InetSocketAddress(host, port));
        proxy.thread("snmp-proxy-requests", proxy::requests);
        proxy.thread("snmp-proxy-answers", proxy::answers);
        return proxy;
    }

    private void thread(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
    }

    /** Misbehaves for requests naming OIDs under {@code column} (dotted). */
    SnmpProxy fault(String column, Fault fault) {
        rules.add(new Rule(new OID(column), fault));
        return this;
    }

    String address() {
        return "127.0.0.1:" + front.getLocalPort();
    }

    private void requests() {
        byte[] buffer = new byte[65535];
        while (!front.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                front.receive(packet);
                received.incrementAndGet();
                Message request = decode(packet.getData(), packet.getLength());
                PDU pdu = request.pdu();
                Integer id = pdu.getRequestID().getValue();
                Rule rule = firstRule(pdu);
                if (rule != null && rule.fault() == Fault.SILENT) {
                    continue;
                }
                if (rule != null && (rule.fault() == Fault.GEN_ERR || rule.fault() == Fault.GEN_ERR_UNNAMED)) {
                    PDU answer = new PDU();
                    answer.setType(PDU.RESPONSE);
                    answer.setRequestID(pdu.getRequestID());
                    answer.setErrorStatus(PDU.genErr);
                    answer.setErrorIndex(rule.fault() == Fault.GEN_ERR ? position(pdu, rule.column()) + 1 : 0);
                    answer.setVariableBindings(pdu.getVariableBindings());
                    send(front, encode(new Message(request.version(), request.community(), answer)), packet.getSocketAddress());
                    continue;
                }
                clients.put(id, packet.getSocketAddress());
                requests.put(id, pdu);
                send(back, packet.getData(), packet.getLength(), agent);
            } catch (IOException | RuntimeException e) {
                if (front.isClosed()) {
                    return;
                }
            }
        }
    }

    private void answers() {
        byte[] buffer = new byte[65535];
        while (!back.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                back.receive(packet);
                Message answer = decode(packet.getData(), packet.getLength());
                Integer id = answer.pdu().getRequestID().getValue();
                SocketAddress client = clients.get(id);
                PDU request = requests.get(id);
                if (client == null) {
                    continue;
                }
                log.add(PDU.getTypeString(request.getType()) + " " + request.size() + " oids"
                        + (request.getType() == PDU.GETBULK ? " (" + request.getNonRepeaters() + " non-repeaters, "
                        + request.getMaxRepetitions() + " repetitions)" : "") + ": " + answer.pdu().size() + " bindings"
                        + (answer.pdu().getErrorStatus() != 0 ? ", " + answer.pdu().getErrorStatusText() : ""));
                if (echoNulls(request, answer.pdu())) {
                    send(front, encode(answer), client);
                } else {
                    send(front, packet.getData(), packet.getLength(), client);
                }
            } catch (IOException | RuntimeException e) {
                if (back.isClosed()) {
                    return;
                }
            }
        }
    }

    /** Replaces the answer's bindings for the columns with a NULLS rule by the OIDs asked; whether it did. */
    private boolean echoNulls(PDU request, PDU answer) {
        List<? extends VariableBinding> asked = request.getVariableBindings();
        List<VariableBinding> bindings = new ArrayList<>(answer.getVariableBindings());
        boolean changed = false;
        int nonRepeaters = request.getType() == PDU.GETBULK ? Math.min(request.getNonRepeaters(), asked.size()) : asked.size();
        int repeaters = asked.size() - nonRepeaters;
        for (int k = 0; k < bindings.size(); k++) {
            int position = k < nonRepeaters ? k : nonRepeaters + (k - nonRepeaters) % Math.max(1, repeaters);
            if (position < asked.size() && nulls(asked.get(position).getOid())) {
                bindings.set(k, new VariableBinding(asked.get(position).getOid(), Null.instance));
                changed = true;
            }
        }
        if (changed) {
            answer.setVariableBindings(bindings);
        }
        return changed;
    }

    private boolean nulls(OID oid) {
        return rules.stream().anyMatch(r -> r.fault() == Fault.NULLS && oid.startsWith(r.column()));
    }

    private Rule firstRule(PDU pdu) {
        for (VariableBinding binding : pdu.getVariableBindings()) {
            for (Rule rule : rules) {
                OID oid = binding.getOid();
                boolean under = oid.startsWith(rule.column());
                if (rule.fault() == Fault.SILENT ? under && oid.size() > rule.column().size()
                        : under && rule.fault() != Fault.NULLS) {
                    return rule;
                }
            }
        }
        return null;
    }

    private static int position(PDU pdu, OID column) {
        List<? extends VariableBinding> bindings = pdu.getVariableBindings();
        for (int i = 0; i < bindings.size(); i++) {
            if (bindings.get(i).getOid().startsWith(column)) {
                return i;
            }
        }
        return -1;
    }

    private static Message decode(byte[] data, int length) throws IOException {
        BERInputStream in = new BERInputStream(ByteBuffer.wrap(data, 0, length));
        BER.decodeHeader(in, new BER.MutableByte());
        Integer32 version = new Integer32();
        version.decodeBER(in);
        OctetString community = new OctetString();
        community.decodeBER(in);
        PDU pdu = new PDU();
        pdu.decodeBER(in);
        return new Message(version, community, pdu);
    }

    private static byte[] encode(Message message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BER.encodeHeader(out, BER.SEQUENCE, message.version().getBERLength() + message.community().getBERLength()
                + message.pdu().getBERLength());
        message.version().encodeBER(out);
        message.community().encodeBER(out);
        message.pdu().encodeBER(out);
        return out.toByteArray();
    }

    private static void send(DatagramSocket socket, byte[] data, SocketAddress to) throws IOException {
        send(socket, data, data.length, to);
    }

    private static void send(DatagramSocket socket, byte[] data, int length, SocketAddress to) throws IOException {
        socket.send(new DatagramPacket(data, length, to));
    }

    @Override
    public void close() throws InterruptedException {
        front.close();
        back.close();
        for (Thread thread : threads) {
            thread.join(5000);
        }
    }
}
