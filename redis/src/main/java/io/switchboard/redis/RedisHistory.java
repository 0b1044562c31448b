package io.switchboard.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.switchboard.engine.History;
import io.switchboard.engine.Retention;
import io.switchboard.engine.UnavailableException;
import io.switchboard.session.Hub;
import io.switchboard.session.Message;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link History} in Redis, shared by every node with the same prefix: ids come from one counter per
 * stream ({@code INCR}), so they increase across nodes, and streams and queues outlive any node.
 *
 * <h2>Ordered broadcasts</h2>
 *
 * <p>{@link #appendAndBroadcast} numbers, stores and publishes an entry in one script, on the group's
 * channel of the {@link RedisEngine} with the same Redis and prefix (use the two together), as a
 * broadcast that every node delivers, the sending one included: so every member of the group
 * receives the stream's entries in id order, whichever node they were sent from. While Redis is
 * unreachable or hung the node numbers the entries it sends under an <em>outage epoch</em> of its own
 * (new for each outage, never stored) and broadcasts them through the hub it was given: with a
 * {@link RedisEngine} whose own link still works (only the history's is down) they reach the other
 * nodes too, under that outage epoch, so no two different entries share an epoch and id either way.
 * An error Redis answers (out of memory, say) is no outage: the append fails with
 * {@link UnavailableException}, logged once, and nothing is delivered.
 *
 * <h2>Deadlines</h2>
 *
 * <p>Every script that a node may give up on ({@link #appendAndBroadcast}, {@link #enqueue},
 * {@link #take}) carries a deadline that Redis checks against its own clock, and does nothing once
 * it is past: so one that ran out of time never takes effect later. The deadline is the command
 * timeout less a margin (at least a quarter of the timeout, and at least the round trip measured
 * when the node read Redis's clock), in Redis's time: a script that runs just before it still
 * answers before the node stops waiting.
 *
 * <h2>Outages of the legacy {@link #append}</h2>
 *
 * <p>{@link #append} (which nothing in the chat uses) still numbers and publishes an entry while
 * Redis is unreachable, with a provisional id after the highest this node has seen for the stream,
 * but cannot store it. When Redis is back the node moves the stream's counter past every provisional
 * id and one more that is never stored. Those provisional ids are under the history's epoch: a
 * position read during the outage may name another entry later (use {@link #appendAndBroadcast}).
 * {@link #since} answers "nothing, incomplete" during an outage; {@link #latest}, {@link #enqueue}
 * and {@link #take} fail with {@link UnavailableException}. When Redis lost its data, the
 * {@link #epoch()} changes.
 *
 * <h2>Retention</h2>
 *
 * <p>A stream's keys expire {@link Retention#streamTtl()} after its last append, a queue's
 * {@link Retention#queueTtl()} after its last enqueue (see {@code history-lib.lua}); Redis's own
 * {@code maxmemory} bounds the rest (use {@code maxmemory-policy noeviction}: a stream whose counter
 * alone is evicted begins a new life, but its readers see {@code missed}). The epoch is not tied to
 * Redis's {@code run_id} (every restart of a persistent Redis would look like lost data): after
 * restoring an older snapshot, which rolls counters back, delete the key {@code PREFIX epoch}.
 *
 * <p>Thread-safe; no method blocks but {@link #connect} and {@link #close}.
 */
public final class RedisHistory implements History {

    private static final Logger log = LoggerFactory.getLogger(RedisHistory.class);

    private static final Script EPOCH = Script.load("history-lib", "epoch");
    private static final Script RESERVE = Script.load("history-lib", "reserve");
    private static final Script STORE = Script.load("history-lib", "store");
    private static final Script LATEST = Script.load("history-lib", "latest");
    private static final Script SINCE = Script.load("history-lib", "since");
    private static final Script BURN = Script.load("history-lib", "burn");
    private static final Script ENQUEUE = Script.load("history-lib", "enqueue");
    private static final Script TAKE = Script.load("history-lib", "take");
    private static final Script APPEND = Script.load("history-lib", "append");

    private final RedisSettings settings;
    private final String streamTtl;
    private final String queueTtl;
    private final RedisLink link;
    private final byte[] prefix;
    private final Keys keys;
    private final Map<String, Long> tops = new ConcurrentHashMap<>(); // legacy append only
    private final Map<String, Long> provisional = new ConcurrentHashMap<>(); // legacy append only
    private final OutageNumbers outage = new OutageNumbers();
    private final RedisClock clock;
    private final AtomicBoolean settleScheduled = new AtomicBoolean();
    private final AtomicBoolean lateLogged = new AtomicBoolean();
    private final AtomicBoolean refusalLogged = new AtomicBoolean();
    private volatile String epoch;
    private volatile boolean closed;

    private RedisHistory(RedisSettings settings, Retention retention, RedisLink link) {
        this.settings = settings;
        this.streamTtl = String.valueOf(retention.streamTtl().toMillis());
        this.queueTtl = String.valueOf(retention.queueTtl().toMillis());
        this.link = link;
        this.prefix = Keys.bytes(settings.prefix());
        this.keys = new Keys(settings.prefix(), settings.database());
        this.clock = new RedisClock(link, settings.commandTimeout().toMillis());
        try {
            this.epoch = Keys.text(await(EPOCH.<byte[]>run(link, ScriptOutputType.VALUE, prefix, freshEpoch())));
            await(clock.read());
        } catch (Exception e) {
            link.close();
            throw new IllegalStateException("Redis at " + settings.display() + " did not answer: " + e, e);
        }
        link.onReconnect(() -> {
            clock.read();
            settleOutage();
        });
    }

    private <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The deadline a script sent now carries (see {@link RedisClock}). */
    private String deadline() {
        return String.valueOf(clock.deadline(System.currentTimeMillis()));
    }

    /** A script answered that it ran past its deadline: the clocks may have drifted; read Redis's again. */
    private UnavailableException late(String what) {
        if (lateLogged.compareAndSet(false, true)) {
            log.warn(
                    "Redis history at {} ran {} after its deadline: reading its clock again (logged once)",
                    settings.display(),
                    what);
        }
        clock.read();
        return new UnavailableException("Redis ran the " + what + " after its deadline", null);
    }

    /** Connects to the Redis {@code settings} name; fails naming it when it cannot be reached. */
    public static RedisHistory connect(RedisSettings settings) {
        return connect(settings, Retention.defaults());
    }

    /** As {@link #connect(RedisSettings)}, keeping streams and queues as long as {@code retention} says. */
    public static RedisHistory connect(RedisSettings settings, Retention retention) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(retention, "retention");
        return new RedisHistory(settings, retention, RedisLink.open(settings, "history"));
    }

    @Override
    public CompletionStage<Entry> append(
            String stream, LongFunction<String> payload, int keep, Consumer<Entry> publish) {
        requirePositive(keep);
        settle(stream);
        return this.<List<Object>>run(RESERVE, ScriptOutputType.MULTI, stream, streamTtl)
                .thenCompose(reply -> {
                    adopt(reply.get(0));
                    long id = (Long) reply.get(1);
                    seen(stream, id);
                    Entry entry = new Entry(id, payload.apply(id));
                    return run(
                                    STORE,
                                    ScriptOutputType.MULTI,
                                    stream,
                                    String.valueOf(id),
                                    id + ":" + entry.payload(),
                                    String.valueOf(keep),
                                    streamTtl)
                            .handle((stored, error) -> entry); // unstored: its id stays a gap
                })
                .exceptionally(error -> provisionalEntry(stream, payload))
                .thenApply(entry -> {
                    publish.accept(entry);
                    return entry;
                });
    }

    /** An entry numbered by this node alone while Redis is unreachable; the gap is settled later. */
    private Entry provisionalEntry(String stream, LongFunction<String> payload) {
        long id = tops.merge(stream, 1L, (top, one) -> top + one);
        provisional.merge(stream, id, Math::max);
        return new Entry(id, payload.apply(id));
    }

    /** Numbers, stores and publishes in one step; during an outage numbers under the outage epoch (see the class comment). */
    @Override
    public CompletionStage<Entry> appendAndBroadcast(String stream, Template payload, int keep, Hub hub, String group) {
        requirePositive(keep);
        return this.<List<Object>>run(
                        APPEND,
                        ScriptOutputType.MULTI,
                        stream,
                        String.valueOf(keep),
                        deadline(),
                        payload.head(),
                        payload.middle(),
                        payload.tail(),
                        keys.groupChannel(group),
                        Envelope.broadcastHead(group),
                        streamTtl)
                .handle((reply, error) -> {
                    if (error != null) {
                        refused(error); // an error Redis answered is no outage
                        return deliverHere(stream, payload, hub, group);
                    }
                    adopt(reply.get(0));
                    long id = (Long) reply.get(1);
                    if (id == 0) {
                        late("append");
                        return deliverHere(stream, payload, hub, group); // the script took no effect
                    }
                    outage.end(); // Redis answers: the next outage gets an epoch of its own
                    refusalLogged.set(false);
                    return new Entry(id, payload.fill(Keys.text(reply.get(2)), id)); // the stream's epoch
                });
    }

    private Entry deliverHere(String stream, Template payload, Hub hub, String group) {
        Entry entry = outageEntry(stream, payload);
        hub.broadcast(group, Message.text(entry.payload()));
        return entry;
    }

    /** An entry numbered by this node alone, under the epoch of the current outage. */
    private Entry outageEntry(String stream, Template payload) {
        OutageNumbers.Number number = outage.next(stream);
        return new Entry(number.id(), payload.fill(number.epoch(), number.id()));
    }

    /** While Redis cannot be reached, the outage epoch this node numbers its own entries under. */
    @Override
    public String currentEpoch(String stream) {
        String current = outage.epoch(link.down());
        return current != null ? current : epoch;
    }

    @Override
    public CompletionStage<List<Entry>> latest(String stream, int count) {
        if (count <= 0) {
            return CompletableFuture.completedFuture(List.of());
        }
        settle(stream);
        return this.<List<Object>>run(LATEST, ScriptOutputType.MULTI, stream, String.valueOf(count))
                .handle((reply, error) -> {
                    unavailable(error);
                    return entries(reply, 2);
                });
    }

    @Override
    public CompletionStage<Recovery> since(String stream, long after) {
        settle(stream);
        return this.<List<Object>>run(
                        SINCE, ScriptOutputType.MULTI, stream, String.valueOf(Math.max(0, after)), streamTtl)
                .handle((reply, error) -> {
                    if (error != null) {
                        return new Recovery(List.of(), false, ""); // unreachable: no epoch known
                    }
                    List<Entry> found = entries(reply, 3);
                    long top = (Long) reply.get(1);
                    String streamEpoch = Keys.text(reply.get(0)) + "." + Keys.text(reply.get(2));
                    return new Recovery(found, after >= 0 && after <= top && found.size() == top - after, streamEpoch);
                });
    }

    @Override
    public CompletionStage<Void> enqueue(String queue, String payload, int keep) {
        requirePositive(keep);
        Objects.requireNonNull(payload, "payload");
        return this.<List<Object>>run(
                        ENQUEUE, ScriptOutputType.MULTI, queue, payload, String.valueOf(keep), queueTtl, deadline())
                .handle((reply, error) -> {
                    unavailable(error);
                    adopt(reply.get(0));
                    if ((Long) reply.get(1) == 0) {
                        throw new CompletionException(late("enqueue"));
                    }
                    return null;
                });
    }

    @Override
    public CompletionStage<Page> take(String queue, long maxBytes) {
        return this.<List<Object>>run(TAKE, ScriptOutputType.MULTI, queue, String.valueOf(maxBytes), deadline())
                .handle((reply, error) -> {
                    unavailable(error);
                    adopt(reply.get(0));
                    long more = (Long) reply.get(1);
                    if (more < 0) {
                        throw new CompletionException(late("take"));
                    }
                    List<String> payloads = reply.subList(2, reply.size()).stream()
                            .map(Keys::text)
                            .toList();
                    return new Page(payloads, more == 1);
                });
    }

    @Override
    public String epoch() {
        return epoch;
    }

    /** How many streams this node keeps a number for (the legacy path's and the current outage's), for tests. */
    int trackedStreams() {
        return tops.size() + provisional.size() + outage.size();
    }

    @Override
    public void close() {
        closed = true;
        link.close();
    }

    /**
     * Redis is back: moves every stream numbered during the outage past its provisional ids; while the
     * connection is not ready for commands yet, tries all of them again once, shortly.
     */
    private void settleOutage() {
        for (String stream : provisional.keySet()) {
            settle(stream).exceptionally(error -> {
                if (!closed && settleScheduled.compareAndSet(false, true)) {
                    CompletableFuture.delayedExecutor(RedisLink.FIRST_RETRY_MS * 4, TimeUnit.MILLISECONDS)
                            .execute(() -> {
                                settleScheduled.set(false);
                                settleOutage();
                            });
                }
                return null;
            });
        }
    }

    /**
     * If {@code stream} was numbered during an outage, sends the burn. Every read and append of the
     * stream calls this first, so the burn reaches Redis before them on the one connection.
     */
    private CompletionStage<Void> settle(String stream) {
        Long highest = provisional.get(stream);
        if (highest == null) {
            return CompletableFuture.completedFuture(null);
        }
        return this.<List<Object>>run(BURN, ScriptOutputType.MULTI, stream, String.valueOf(highest), streamTtl)
                .thenAccept(reply -> {
                    provisional.remove(stream, highest);
                    adopt(reply.get(0));
                    seen(stream, (Long) reply.get(1));
                });
    }

    /** The entries of a reply {epoch, top, ..., entries from index {@code first}}. */
    private List<Entry> entries(List<Object> reply, int first) {
        adopt(reply.get(0));
        List<Entry> entries = new ArrayList<>(reply.size() - first);
        for (Object member : reply.subList(first, reply.size())) {
            String text = Keys.text(member);
            int colon = text.indexOf(':');
            entries.add(new Entry(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1)));
        }
        return List.copyOf(entries);
    }

    /** A new epoch for Redis to adopt if it has none: after losing its data it must not reuse the old one. */
    private static byte[] freshEpoch() {
        return Keys.bytes(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
    }

    private void seen(String stream, long top) {
        tops.merge(stream, top, Math::max);
    }

    /** Takes the epoch Redis answered with; a new one means Redis lost its data, and ids restarted. */
    private void adopt(Object reply) {
        String current = Keys.text(reply);
        if (!current.equals(epoch)) {
            epoch = current;
            tops.clear();
        }
    }

    /** Runs {@code script} on the stream or queue {@code name}; {@code more} are texts or bytes. */
    private <T> CompletionStage<T> run(Script script, ScriptOutputType type, String name, Object... more) {
        byte[][] args = new byte[3 + more.length][];
        args[0] = prefix;
        args[1] = freshEpoch();
        args[2] = Keys.bytes(name);
        for (int i = 0; i < more.length; i++) {
            args[3 + i] = more[i] instanceof byte[] data ? data : Keys.bytes((String) more[i]);
        }
        return script.run(link, type, args);
    }

    /** Rethrows {@code error} as {@link UnavailableException}: an error Redis answered logged once (see {@link #refused}). */
    private void unavailable(Throwable error) {
        if (error == null) {
            return;
        }
        refused(error);
        Throwable cause = cause(error);
        throw new CompletionException(new UnavailableException(
                "the history in Redis at " + settings.display() + " is unreachable: " + cause.getMessage(), cause));
    }

    /**
     * If Redis answered {@code error} (out of memory under {@code noeviction}, say), logs it once
     * until an append succeeds again and rethrows it as {@link UnavailableException}.
     */
    private void refused(Throwable error) {
        if (!(cause(error) instanceof RedisCommandExecutionException refusal)) {
            return;
        }
        if (refusalLogged.compareAndSet(false, true)) {
            log.warn(
                    "Redis history at {} refused a command: {} (logged once)",
                    settings.display(),
                    refusal.getMessage());
        }
        throw new CompletionException(new UnavailableException(
                "Redis at " + settings.display() + " refused: " + refusal.getMessage(), refusal));
    }

    private static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static void requirePositive(int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, not " + keep);
        }
    }
}
