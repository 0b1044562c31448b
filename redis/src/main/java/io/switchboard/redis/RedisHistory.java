/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.lettuce.core.ScriptOutputType;
import io.switchboard.engine.History;
import io.switchboard.engine.Retention;
import io.switchboard.engine.StoreStatus;
import io.switchboard.engine.UnavailableException;
import io.switchboard.session.Hub;
import io.switchboard.session.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * {@link History} in Redis, shared by every node with the same prefix: ids come from one counter per
 * stream ({@code INCR}), so they increase across nodes, and streams and queues outlive any node.
 *
 * <h2>Ordered broadcasts</h2>
 *
 * <p>{@link #appendAndBroadcast} numbers, stores and publishes an entry in one script, on the group's
 * channel of the {@link RedisEngine} with the same Redis and prefix (use the two together), as a
 * broadcast that every node delivers, the sending one included: so every member of the group
 * receives the stream's entries in id order, whichever node they were sent from (on Redis Cluster
 * within the stream's shard only: the group must share its hash tag, {@code s:{room}} and {@code g:{room}}). While Redis is
 * unreachable or hung the node numbers the entries it sends under an <em>outage epoch</em> of its own
 * (new for each outage, never stored) and broadcasts them through the hub it was given: with a
 * {@link RedisEngine} whose own link still works (only the history's is down) they reach the other
 * nodes too, under that outage epoch, so no two different entries share an epoch and id either way.
 * An error Redis answers (out of memory, say) is no outage: the append fails with
 * {@link UnavailableException}, logged once, and nothing is delivered.
 *
 * <h2>Deadlines</h2>
 *
 * <p>Every script that a node may give up on ({@link #appendAndBroadcast}, {@link #remove},
 * {@link #enqueue}, {@link #take}) carries a deadline that Redis checks against its own clock, and does nothing once
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
 * id and one more that is never stored, giving the stream the history's {@link Retention#streamTtl()}
 * again. Those provisional ids are under the history's epoch: a position read during the outage may
 * name another entry later (use {@link #appendAndBroadcast}).
 * {@link #since} answers "nothing, incomplete" during an outage; {@link #latest}, {@link #remove},
 * {@link #enqueue} and {@link #take} fail with {@link UnavailableException}. When Redis lost its data, the
 * {@link #epoch()} changes. {@link #available()} is false meanwhile.
 *
 * <h2>Epochs</h2>
 *
 * <p>The key {@code PREFIX epoch} is in a slot of its own on Redis Cluster, so no stream script reads
 * it: a node reads it alone ({@link KnownEpoch}: at connect, after an outage, every second...), gives
 * it to every stream script, and takes it as its {@link #epoch()} when a call goes through. A stream's epoch ({@link
 * Recovery#epoch()}) is made once, at its birth, from that history epoch and a random part, and kept in
 * its birth key: every node reports the same one for a life, whatever history epoch it knows, and each
 * life has a new random part, so no (stream epoch, id) names two entries. A history epoch begins with
 * the time it was made: a stream born under an older one than the caller's begins a new life.
 *
 * <p>Calls are reported to {@link #onCall} listeners as {@code append}, {@code history} (reads),
 * {@code enqueue}, {@code take}, {@code remove}, {@code epoch} or {@code time}.
 *
 * <h2>Retention</h2>
 *
 * <p>A stream's keys expire the {@link Keep#ttl()} of its last append after it (the history's
 * {@link Retention#streamTtl()} when that append gave none), set by the script that appends, a
 * queue's {@link Retention#queueTtl()} after its last enqueue (see {@code history-lib.lua});
 * Redis's own {@code maxmemory} bounds the rest (use {@code maxmemory-policy noeviction}: a stream whose counter
 * alone is evicted begins a new life, but its readers see {@code missed}). The epoch is not tied to
 * Redis's {@code run_id} (every restart of a persistent Redis would look like lost data): after
 * restoring an older snapshot, which rolls counters back, delete the key {@code PREFIX epoch}: the nodes
 * read a newer one after the restart, and every stream born before it begins a new life when next used.
 *
 * <p>Thread-safe; no method blocks but {@link #connect} and {@link #close}.
 */
public final class RedisHistory implements History, StoreStatus {

    private static final Script RESERVE = Script.load("history-lib", "reserve", "append");
    private static final Script STORE = Script.load("history-lib", "store", "append");
    private static final Script LATEST = Script.load("history-lib", "latest", "history");
    private static final Script SINCE = Script.load("history-lib", "since", "history");
    private static final Script ENQUEUE = Script.load("history-lib", "enqueue", "enqueue");
    private static final Script TAKE = Script.load("history-lib", "take", "take");
    private static final Script APPEND = Script.load("history-lib", "append", "append");
    private static final Script REMOVE = Script.load("history-lib", "remove", "remove");

    private final RedisSettings settings;
    private final String streamTtl;
    private final String queueTtl;
    private final RedisLink link;
    private final Keys keys;
    private final HistoryScripts scripts;
    private final ProvisionalIds legacy; // the legacy append's outage numbering
    private final OutageNumbers outage = new OutageNumbers();
    private volatile String epoch;

    private RedisHistory(RedisSettings settings, Retention retention, Keys keys, Duration epochCheck) {
        this.settings = settings;
        this.streamTtl = String.valueOf(retention.streamTtl().toMillis());
        this.queueTtl = String.valueOf(retention.queueTtl().toMillis());
        this.link = RedisLink.open(settings, "history");
        this.keys = keys;
        this.scripts = new HistoryScripts(settings, link, keys, this::adopt);
        this.legacy = new ProvisionalIds(scripts, streamTtl, this::saw);
        try {
            this.epoch = await(scripts.epoch().refresh());
            await(scripts.clock().read());
            scripts.epoch().checkEvery(epochCheck);
        } catch (Exception e) {
            link.close();
            throw new IllegalStateException("Redis at " + settings.display() + " did not answer: " + e, e);
        }
        link.onReconnect(() -> {
            scripts.clock().read();
            scripts.epoch().refresh(); // Redis may be back without its data: then a new history epoch
            legacy.settleAll();
        });
    }

    private <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Connects to the Redis {@code settings} name; fails naming it when it cannot be reached. */
    public static RedisHistory connect(RedisSettings settings) {
        return connect(settings, Retention.defaults());
    }

    /** As {@link #connect(RedisSettings)}, keeping streams and queues as long as {@code retention} says. */
    public static RedisHistory connect(RedisSettings settings, Retention retention) {
        Keys keys = new Keys(
                Objects.requireNonNull(settings, "settings").prefix(), settings.database(), settings.cluster());
        return connect(settings, retention, keys, KnownEpoch.CHECK);
    }

    /** As {@link #connect(RedisSettings, Retention)}, with {@code keys} and reading the epoch every {@code epochCheck}, for tests. */
    static RedisHistory connect(RedisSettings settings, Retention retention, Keys keys, Duration epochCheck) {
        Objects.requireNonNull(retention, "retention");
        return new RedisHistory(settings, retention, keys, epochCheck);
    }

    /** Whether Redis answers now: false from a lost connection or a timed-out call until it answers again. */
    @Override
    public boolean available() {
        return link.available();
    }

    @Override
    public void onCall(CallListener listener) {
        link.onCall(listener);
    }

    @Override
    public CompletionStage<Entry> append(
            String stream, LongFunction<String> payload, Keep keep, Consumer<Entry> publish) {
        String ttl = ttl(keep);
        legacy.settle(stream);
        return scripts.<List<Object>>stream(RESERVE, ScriptOutputType.MULTI, stream, ttl)
                .thenCompose(reply -> {
                    long id = (Long) reply.get(0);
                    legacy.seen(stream, id);
                    saw(Keys.text(reply.get(1)));
                    Entry entry = new Entry(id, payload.apply(id));
                    return scripts.stream(
                                    STORE,
                                    ScriptOutputType.MULTI,
                                    stream,
                                    String.valueOf(id),
                                    id + ":" + entry.payload(),
                                    String.valueOf(keep.entries()),
                                    ttl)
                            .handle((stored, error) -> entry); // unstored: its id stays a gap
                })
                .exceptionally(error -> legacy.next(stream, payload))
                .thenApply(entry -> {
                    publish.accept(entry);
                    return entry;
                });
    }

    /**
     * Numbers, stores and publishes in one step; during an outage numbers under the outage epoch (see
     * the class comment). On Redis Cluster the stream and the group must share a slot (a hash tag).
     */
    @Override
    public CompletionStage<Entry> appendAndBroadcast(
            String stream, Template payload, Keep keep, Hub hub, String group, String key) {
        HistoryScripts.requireOneSlot(keys, stream, group);
        return scripts.<List<Object>>stream(
                        APPEND,
                        ScriptOutputType.MULTI,
                        stream,
                        String.valueOf(keep.entries()),
                        scripts.deadline(),
                        payload.head(),
                        payload.middle(),
                        payload.tail(),
                        keys.publishCommand(),
                        keys.groupChannel(group),
                        Envelope.broadcastHead(group, key),
                        ttl(keep))
                .handle((reply, error) -> {
                    if (error != null) {
                        scripts.refused(error); // an error Redis answered is no outage
                        return deliverHere(stream, payload, hub, group, key);
                    }
                    long id = (Long) reply.get(0);
                    if (id == 0) {
                        scripts.late("append");
                        return deliverHere(stream, payload, hub, group, key); // the script took no effect
                    }
                    outage.end(); // Redis answers: the next outage gets an epoch of its own
                    scripts.accepted();
                    String streamEpoch = Keys.text(reply.get(1));
                    saw(streamEpoch);
                    return new Entry(id, payload.fill(streamEpoch, id));
                });
    }

    private Entry deliverHere(String stream, Template payload, Hub hub, String group, String key) {
        Entry entry = outageEntry(stream, payload);
        Message message = Message.text(entry.payload());
        if (key == null) {
            hub.broadcast(group, message);
        } else {
            hub.broadcastLatest(group, key, message);
        }
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
        legacy.settle(stream);
        return scripts.<List<Object>>stream(LATEST, ScriptOutputType.MULTI, stream, String.valueOf(count))
                .handle((reply, error) -> {
                    scripts.unavailable(error);
                    return entries(reply, 0);
                });
    }

    @Override
    public CompletionStage<Recovery> since(String stream, long after) {
        legacy.settle(stream);
        return scripts.<List<Object>>stream(
                        SINCE, ScriptOutputType.MULTI, stream, String.valueOf(Math.max(0, after)), streamTtl)
                .handle((reply, error) -> {
                    if (error != null) {
                        return new Recovery(List.of(), false, ""); // unreachable: no epoch known
                    }
                    List<Entry> found = entries(reply, 2);
                    long top = (Long) reply.get(0);
                    String streamEpoch = Keys.text(reply.get(1));
                    saw(streamEpoch);
                    return new Recovery(found, after >= 0 && after <= top && found.size() == top - after, streamEpoch);
                });
    }

    /**
     * Deletes the stream's keys in one script, which carries a deadline (see the class comment); once
     * it did, forgets what this node numbered for the stream on the legacy path: the stream's new
     * life owes nothing to ids of the old one. A remove that failed forgets nothing here.
     */
    @Override
    public CompletionStage<Void> remove(String stream) {
        legacy.settle(stream); // a burn still owed goes first, so it cannot land in the new life
        return scripts.<Long>streamWithoutEpoch(REMOVE, ScriptOutputType.INTEGER, stream, scripts.deadline())
                .handle((done, error) -> {
                    scripts.unavailable(error);
                    if (done == 0) {
                        throw new CompletionException(scripts.late("remove"));
                    }
                    legacy.forget(stream); // replies come in order: after any the node sent before
                    return null;
                });
    }

    @Override
    public CompletionStage<Void> enqueue(String queue, String payload, int keep) {
        requirePositive(keep);
        Objects.requireNonNull(payload, "payload");
        return scripts.<Long>queue(
                        ENQUEUE,
                        ScriptOutputType.INTEGER,
                        queue,
                        payload,
                        String.valueOf(keep),
                        queueTtl,
                        scripts.deadline())
                .handle((done, error) -> {
                    scripts.unavailable(error);
                    if (done == 0) {
                        throw new CompletionException(scripts.late("enqueue"));
                    }
                    return null;
                });
    }

    @Override
    public CompletionStage<Page> take(String queue, long maxBytes) {
        return scripts.<List<Object>>queue(
                        TAKE, ScriptOutputType.MULTI, queue, String.valueOf(maxBytes), scripts.deadline())
                .handle((reply, error) -> {
                    scripts.unavailable(error);
                    long more = (Long) reply.get(0);
                    if (more < 0) {
                        throw new CompletionException(scripts.late("take"));
                    }
                    List<String> payloads = reply.subList(1, reply.size()).stream()
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
        return legacy.size() + outage.size();
    }

    @Override
    public void close() {
        scripts.epoch().close();
        legacy.close();
        link.close();
    }

    /** The entries of a reply whose entries start at index {@code first}. */
    private static List<Entry> entries(List<Object> reply, int first) {
        List<Entry> entries = new ArrayList<>(reply.size() - first);
        for (Object member : reply.subList(first, reply.size())) {
            String text = Keys.text(member);
            int colon = text.indexOf(':');
            entries.add(new Entry(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1)));
        }
        return List.copyOf(entries);
    }

    /** Takes the history epoch Redis answered with; a new one means Redis lost its data, and ids restarted. */
    private void adopt(String current) {
        if (!current.equals(epoch)) {
            epoch = current;
            legacy.forgetSeen();
        }
    }

    /** A reply carried {@code streamEpoch}: born under a newer history epoch than this node knows, read that one. */
    private void saw(String streamEpoch) {
        if (KnownEpoch.newer(streamEpoch, scripts.epoch().current())) {
            scripts.epoch().behind();
        }
    }

    /** The stream's time to live after an append that keeps {@code keep}, in milliseconds, as scripts take it. */
    private String ttl(Keep keep) {
        return keep.ttl() == null ? streamTtl : String.valueOf(keep.ttl().toMillis());
    }

    private static void requirePositive(int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, not " + keep);
        }
    }
}
