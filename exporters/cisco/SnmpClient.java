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

    /** A GET request of these instances; like {@link #getBulk} otherwise. */
    default List<VariableBinding> get(List<OID> oids) throws IOException {
        throw new IOException("this client cannot GET");
    }

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
    default void send(SnmpWalker.Request request, Callback callback) {
        callback.deliver(() -> request.get() ? get(request.oids())
                : getBulk(request.oids(), request.nonRepeaters(), request.maxRepetitions()));
    }

    /** No answer within the timeout and retries. */
    final class Timeout extends IOException {
        /** What a first request without an answer may mean: no agent there, or wrong credentials. */
        final String hint;

        Timeout(String message, String hint) {
            super(message);
            this.hint = hint;
        }
    }

    /** The agent answered a request with a non-zero error-status (RFC 3416), naming the binding at fault or not. */
    final class AgentError extends IOException {
        static final int TOO_BIG = 1;
        private static final String[] NAMES = {"noError", "tooBig", "noSuchName", "badValue", "readOnly", "genErr",
            "noAccess", "wrongType", "wrongLength", "wrongEncoding", "wrongValue", "noCreation", "inconsistentValue",
            "resourceUnavailable", "commitFailed", "undoFailed", "authorizationError", "notWritable", "inconsistentName"};

        final int status;
        /** error-index: 1 for the request's first binding, 0 (or out of range) when the agent does not say. */
        final int index;

        AgentError(int status, int index) {
            super("the agent answered " + name(status));
            this.status = status;
            this.index = index;
        }

        /** The RFC 3416 name of an error-status: {@code genErr}. */
        static String name(int status) {
            return status >= 0 && status < NAMES.length ? NAMES[status] : "error-status " + status;
        }

        String statusName() {
            return name(status);
        }
    }
}
