import java.io.IOException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * Polls every target, every group of a target at once, from the calling thread: requests go out without
 * waiting, and their answers come back as events that this thread handles one at a time, sending the next
 * request of that walk. A run takes about as long as the slowest walk of the slowest target, a dead target
 * costs one request bound (timeout × tries), and no thread is started for it (but one per host name to
 * resolve, when several targets need one).
 *
 * <p>Each target first gets one request that asks for the next OID after every scalar and every column of
 * every group (a GETNEXT of all of them, and IF-MIB ifNumber). It tells which tables the agent has: a column
 * whose next OID lies outside it is absent or empty, and costs nothing more (a Linux host has no CISCO-* and no
 * BGP4-MIB), and which fallbacks are not needed. Then each group walks the columns it still has from their
 * first row, in parallel, the interface tables asking for ifNumber rows at once (all of them, usually, in one
 * request), then GETs the single instances it needs. An agent that refuses the probe as tooBig (IOS answers
 * at most 1500 bytes by default) is probed group by group. A column the agent refuses or answers wrongly
 * costs only itself ({@link SnmpWalker}); a group that times out costs only itself.
 */
final class TargetPoller {
    private static final PollGroup[] GROUPS = PollGroup.values();
    static final int GRACE_SECONDS = 10;
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    /** Makes the client of one target (the snmp4j session, or recorded answers in tests). */
    @FunctionalInterface
    interface Clients {
        SnmpClient client(TargetAddress target) throws IOException;
    }

    private TargetPoller() {
    }

    /** Without a bound on a request's time (tests whose clients answer at once). */
    static List<TargetReading> poll(List<TargetAddress> targets, Clients clients, int maxRepetitions)
            throws InterruptedException {
        return poll(targets, clients, maxRepetitions, Duration.ofHours(1));
    }

    /**
     * Polls {@code targets}; {@code requestBound} is the longest one request may take (timeout × tries). snmp4j
     * reports every request back within it, answered or not; should nothing at all come back for that long and
     * {@value #GRACE_SECONDS} s more (a host name resolving, or a fault of snmp4j's), what is unfinished fails
     * rather than wait for ever.
     */
    static List<TargetReading> poll(List<TargetAddress> targets, Clients clients, int maxRepetitions,
            Duration requestBound) throws InterruptedException {
        return pollWithin(targets, clients, maxRepetitions, requestBound.plusSeconds(GRACE_SECONDS));
    }

    /** {@link #poll}, giving up on what is unfinished once nothing has come back for {@code idle}. */
    static List<TargetReading> pollWithin(List<TargetAddress> targets, Clients clients, int maxRepetitions,
            Duration idle) throws InterruptedException {
        Loop loop = new Loop();
        List<TargetPoll> polls = new ArrayList<>();
        // a host name may take long to resolve: several resolve at once, each on a thread of its own
        boolean resolveHere = targets.stream().filter(t -> !IP_LITERAL.matcher(t.host()).matches()).count() <= 1;
        for (TargetAddress target : targets) {
            TargetPoll poll = new TargetPoll(target, Math.max(1, maxRepetitions), loop);
            polls.add(poll);
            if (resolveHere || IP_LITERAL.matcher(target.host()).matches()) {
                connect(poll, clients).run();
            } else {
                Thread resolver = new Thread(() -> loop.events.add(connect(poll, clients)), "cisco-resolve");
                resolver.setDaemon(true);
                resolver.start();
            }
        }
        while (loop.unfinished > 0) {
            Runnable event = loop.events.poll(idle.toNanos(), TimeUnit.NANOSECONDS);
            if (event == null) {
                for (TargetPoll poll : polls) {
                    poll.failAll("nothing came back for " + idle.toMillis() / 1000.0
                            + " s: no answer, no timeout (or the host name is still resolving)");
                }
                break;
            }
            event.run();
        }
        List<TargetReading> readings = new ArrayList<>();
        for (TargetPoll poll : polls) {
            readings.add(new TargetReading(poll.target.text(), poll.tables, poll.seconds, poll.errors, poll.failures));
        }
        return readings;
    }

    /** Makes the target's client (resolving its host) and returns what starts its requests, on the loop's thread. */
    private static Runnable connect(TargetPoll poll, Clients clients) {
        try {
            SnmpClient client = clients.client(poll.target);
            return () -> poll.probe(client);
        } catch (IOException | RuntimeException e) {
            return () -> poll.failAll(message(e));
        }
    }

    /** The answers that came back, handled in order by the polling thread; the groups not finished yet. */
    private static final class Loop {
        final BlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
        int unfinished;
    }

    /** One group's walk; {@code probing} until its first answer when it probes on its own. */
    private static final class GroupWalk {
        final PollGroup group;
        final SnmpWalker walker;
        boolean probing;
        boolean instancesAsked;

        GroupWalk(PollGroup group, SnmpWalker walker, boolean probing) {
            this.group = group;
            this.walker = walker;
            this.probing = probing;
        }
    }

    /** One target: its probe, then a walk per group; touched only by the polling thread. */
    private static final class TargetPoll {
        final TargetAddress target;
        final int maxRepetitions;
        final Loop loop;
        final long start = System.nanoTime();
        final Map<PollGroup, SnmpTable> tables = new EnumMap<>(PollGroup.class);
        final Map<PollGroup, Double> seconds = new EnumMap<>(PollGroup.class);
        final Map<PollGroup, String> errors = new EnumMap<>(PollGroup.class);
        final Map<PollGroup, List<String>> failures = new EnumMap<>(PollGroup.class);
        final Set<PollGroup> open = EnumSet.allOf(PollGroup.class);
        SnmpClient client;

        TargetPoll(TargetAddress target, int maxRepetitions, Loop loop) {
            this.target = target;
            this.maxRepetitions = maxRepetitions;
            this.loop = loop;
            loop.unfinished += GROUPS.length;
        }

        /** One request for the first row of everything: which tables the agent has, and how many interfaces. */
        void probe(SnmpClient client) {
            this.client = client;
            List<OID> scalars = new ArrayList<>(List.of(Mibs.IF_NUMBER));
            List<OID> columns = new ArrayList<>();
            for (PollGroup group : GROUPS) {
                scalars.addAll(group.scalars);
                columns.addAll(group.probed);
            }
            probeAgain(new SnmpWalker(scalars, columns, 1, 1));
        }

        private void probeAgain(SnmpWalker probe) {
            send(probe.next(), (answer, error) -> probed(probe, answer, error), this::failAll);
        }

        private void probed(SnmpWalker probe, List<VariableBinding> answer, IOException error) {
            if (open.size() < GROUPS.length) {
                return; // given up on (a late answer)
            }
            try {
                if (error instanceof SnmpClient.AgentError refused && refused.status == SnmpClient.AgentError.TOO_BIG) {
                    for (PollGroup group : GROUPS) { // too much at once: each group probes on its own
                        step(new GroupWalk(group, new SnmpWalker(group.scalars, group.probed, 1, maxRepetitions), true));
                    }
                    return;
                } else if (error instanceof SnmpClient.AgentError refused) {
                    probe.refused(refused); // leaves out what the agent refused, to ask the rest again
                } else if (error != null) {
                    throw error;
                } else {
                    probe.accept(answer);
                }
            } catch (SnmpClient.Timeout e) {
                failAll(e.getMessage() + " (" + e.hint + ")");
                return;
            } catch (IOException | RuntimeException e) {
                failAll(message(e));
                return;
            }
            if (!probe.probed()) {
                probeAgain(probe);
                return;
            }
            int interfaceRows = interfaceRows(probe.table().scalar(Mibs.IF_NUMBER));
            for (PollGroup group : GROUPS) {
                int first = group == PollGroup.INTERFACES || group == PollGroup.COUNTERS ? interfaceRows : maxRepetitions;
                SnmpWalker walker = probe.part(group.scalars, group.probed, first, maxRepetitions);
                group.probed(walker);
                step(new GroupWalk(group, walker, false));
            }
        }

        /**
         * Rows to ask for in the first request of the interface tables: the probe read the first row, so
         * ifNumber rows are the others and the end of the table. Without ifNumber, --max-repetitions.
         */
        private int interfaceRows(Variable ifNumber) {
            if (ifNumber instanceof Integer32 number) {
                return Math.max(1, Math.min(number.getValue(), maxRepetitions));
            }
            return maxRepetitions;
        }

        /** The next request of a group's walk, its GETs once the walk is done, or its end. */
        private void step(GroupWalk walk) {
            SnmpWalker.Request request = walk.walker.next();
            if (request == null && !walk.instancesAsked) {
                walk.instancesAsked = true;
                walk.group.getInstances(walk.walker);
                request = walk.walker.next();
            }
            if (request == null) {
                finish(walk.group, walk.walker, null);
                return;
            }
            send(request, (answer, error) -> answered(walk, answer, error), message -> finish(walk.group, null, message));
        }

        private void answered(GroupWalk walk, List<VariableBinding> answer, IOException error) {
            if (!open.contains(walk.group)) {
                return; // given up on (a late answer)
            }
            try {
                if (error instanceof SnmpClient.AgentError refused) {
                    walk.walker.refused(refused);
                } else if (error != null) {
                    throw error;
                } else {
                    walk.walker.accept(answer);
                }
            } catch (IOException | RuntimeException e) {
                finish(walk.group, null, message(e));
                return;
            }
            if (walk.probing && walk.walker.probed()) {
                walk.probing = false;
                walk.group.probed(walk.walker);
            }
            step(walk);
        }

        /** Sends {@code request}; its answer is handled by {@code then} on the polling thread. */
        private void send(SnmpWalker.Request request, SnmpClient.Callback then, Consumer<String> failed) {
            try {
                client.send(request, (answer, error) -> loop.events.add(() -> then.answered(answer, error)));
            } catch (RuntimeException e) {
                failed.accept(message(e));
            }
        }

        void failAll(String message) {
            for (PollGroup group : GROUPS) {
                finish(group, null, message);
            }
        }

        private void finish(PollGroup group, SnmpWalker walker, String error) {
            if (!open.remove(group)) {
                return;
            }
            seconds.put(group, (System.nanoTime() - start) / 1e9);
            if (error == null) {
                tables.put(group, walker.table());
                failures.put(group, List.copyOf(walker.failures().values()));
            } else {
                errors.put(group, error);
            }
            loop.unfinished--;
        }
    }

    private static String message(Exception e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        return e instanceof UnknownHostException ? "unknown host " + message : message;
    }
}
