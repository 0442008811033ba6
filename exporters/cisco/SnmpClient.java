import java.io.IOException;
import java.util.List;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.VariableBinding;

/** One SNMP agent, as the walks see it: tests hand the walker a fake with recorded answers. */
interface SnmpClient {

    /**
     * A GETBULK request: the first {@code nonRepeaters} OIDs are answered once (a GETNEXT each), the others
     * up to {@code maxRepetitions} times, row by row. Returns the agent's bindings in the order it sent them.
     *
     * @throws AgentError when the agent answers with an error status
     * @throws IOException when it does not answer within the timeout and retries, or refuses the credentials
     */
    List<VariableBinding> getBulk(List<OID> oids, int nonRepeaters, int maxRepetitions) throws IOException;

    /** Gets the answer to a {@link #send} request, or why there is none: exactly one of the two is null. */
    @FunctionalInterface
    interface Callback {
        void answered(List<VariableBinding> answer, IOException error);

        /** Calls {@code call} and passes its answer, or its failure as an IOException, on to this callback, once. */
        default void deliver(Answer call) {
            List<VariableBinding> answer;
            try {
                answer = call.get();
            } catch (IOException e) {
                answered(null, e);
                return;
            } catch (RuntimeException e) {
                answered(null, new IOException(e.toString(), e));
                return;
            }
            answered(answer, null);
        }
    }

    /** Something that yields an agent's answer or fails. */
    interface Answer {
        List<VariableBinding> get() throws IOException;
    }

    /**
     * The same request without waiting: {@code callback} gets the answer, once, maybe on another thread. This
     * default answers at once, on this thread; the snmp4j client sends and returns.
     */
    default void send(List<OID> oids, int nonRepeaters, int maxRepetitions, Callback callback) {
        callback.deliver(() -> getBulk(oids, nonRepeaters, maxRepetitions));
    }

    /** The agent answered a request with a non-zero error-status (RFC 3416). */
    final class AgentError extends IOException {
        static final int TOO_BIG = 1;
        final int status;

        AgentError(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
