/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.engine;

import io.switchboard.session.Hub;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * Bounded, numbered message history per stream (a chat room, a ticker) for recovery after a
 * reconnect, and bounded queues (messages kept for someone who is away). An optional companion of
 * the {@link Engine}: in memory by default, in Redis for many nodes, held to one contract.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>Ids in a stream start at 1 and increase by one per {@link #append}, across every node.
 *   <li>A stream keeps its newest entries only; what falls out is gone.
 *   <li>{@link #since} says whether the entries it returns are complete: every id after the given one
 *       up to the newest is there. A position this history never handed out (from before a restart
 *       of an in-memory history, say) is never complete; {@link #epoch()} tells histories apart.
 *   <li>A queue keeps its newest payloads; {@link #take} takes the oldest, a page at a time, exactly once.
 *   <li>Nothing is kept forever (see {@link Retention}): a stream is forgotten a time after its last
 *       append (the {@link Keep#ttl()} that append gave, else the history's
 *       {@link Retention#streamTtl()}), a queue a time after its last enqueue, and an in-memory
 *       history forgets the least recently written ones first when it is full. A forgotten stream begins again at id 1 with a
 *       new stream epoch ({@link Recovery#epoch()}), so a position from its earlier life is never
 *       taken for one of the new. So does a stream removed by {@link #remove}, at once.
 *   <li>A history shared by many nodes may be unable to reach its store for a while: then
 *       {@link #latest}, {@link #remove}, {@link #enqueue} and {@link #take} complete exceptionally with
 *       {@link UnavailableException}, {@link #since} answers incomplete, and {@link #append} still
 *       numbers and publishes (see the implementation for what it promises about those ids).
 * </ul>
 *
 * <p>Thread-safe; no method blocks.
 */
public interface History extends AutoCloseable {

    /**
     * Appends to {@code stream}: the entry gets the next id, its payload is made from that id, and
     * only what {@code keep} says stays, for as long as it says. Then {@code publish} runs with the
     * entry; on one node it runs in id order for the stream, so a broadcast from it reaches clients in
     * id order.
     */
    CompletionStage<Entry> append(String stream, LongFunction<String> payload, Keep keep, Consumer<Entry> publish);

    /**
     * As {@link #append(String, LongFunction, Keep, Consumer)}, keeping the newest {@code keep} entries
     * for the history's own {@link Retention#streamTtl()}.
     */
    default CompletionStage<Entry> append(
            String stream, LongFunction<String> payload, int keep, Consumer<Entry> publish) {
        return append(stream, payload, Keep.newest(keep), publish);
    }

    /**
     * Appends to {@code stream} an entry made from {@code payload} with its epoch and id, keeping
     * what {@code keep} says, and broadcasts it as text to {@code group} through {@code hub}, so that
     * every member on every node receives the stream's entries in id order. The broadcast carries the
     * conflation {@code key} (see {@link Hub#broadcastLatest}) to every node: a member whose outbound
     * buffer is backed up keeps only the newest entry of the key; entries are stored and numbered all
     * the same, and {@code key} null broadcasts without one. The epoch is the stream's, as
     * {@link #since} reports it in {@link Recovery#epoch()}, so a reader can tell a live entry of a new
     * life of the stream (or of a new history) at once. A history on one node broadcasts from its
     * lock, in id order as {@link #append} promises; a history shared by many nodes orders the
     * broadcast across them.
     */
    CompletionStage<Entry> appendAndBroadcast(
            String stream, Template payload, Keep keep, Hub hub, String group, String key);

    /**
     * As {@link #appendAndBroadcast(String, Template, Keep, Hub, String, String)}, keeping the newest
     * {@code keep} entries for the history's own {@link Retention#streamTtl()}.
     */
    default CompletionStage<Entry> appendAndBroadcast(
            String stream, Template payload, int keep, Hub hub, String group, String key) {
        return appendAndBroadcast(stream, payload, Keep.newest(keep), hub, group, key);
    }

    /** As {@link #appendAndBroadcast(String, Template, int, Hub, String, String)}, without a conflation key. */
    default CompletionStage<Entry> appendAndBroadcast(
            String stream, Template payload, int keep, Hub hub, String group) {
        return appendAndBroadcast(stream, payload, Keep.newest(keep), hub, group, null);
    }

    /** The newest {@code count} entries of {@code stream}, oldest first. */
    CompletionStage<List<Entry>> latest(String stream, int count);

    /**
     * The kept entries with an id above {@code after}, oldest first, whether none is missing, and the
     * stream's epoch. Reading a stream that is not kept starts its life (empty, with a new epoch), so
     * that a reader's position and epoch stay valid once entries arrive.
     */
    CompletionStage<Recovery> since(String stream, long after);

    /**
     * Forgets {@code stream} whole, at once: its entries, its id counter and its stream epoch, on every node
     * of a shared history. The stream's next append or read begins its new life as a forgotten stream
     * does: ids again from 1, under a new stream epoch ({@link Recovery#epoch()}), so a position from
     * before the removal is never taken for one of the new life ({@link #since} answers it incomplete,
     * under the new epoch). Removing a stream that is not kept does nothing and succeeds. While a
     * history shared by many nodes cannot reach its store, completes exceptionally with
     * {@link UnavailableException}, having removed nothing, now or later.
     */
    CompletionStage<Void> remove(String stream);

    /** Adds {@code payload} to {@code queue}, dropping the oldest beyond {@code keep}. */
    CompletionStage<Void> enqueue(String queue, String payload, int keep);

    /**
     * Takes, in one step, the oldest payloads of {@code queue} whose sizes in UTF-8 plus one byte each
     * add up to at most {@code maxBytes} (always at least one, however long), and says whether more
     * remain. What is not taken stays where it was, in order, with its time to live unchanged. A take
     * that fails takes nothing, now or later.
     */
    CompletionStage<Page> take(String queue, long maxBytes);

    /** Takes every payload in {@code queue}, oldest first, and empties it: a {@link #take} without a budget. */
    default CompletionStage<List<String>> drain(String queue) {
        return take(queue, Long.MAX_VALUE).thenApply(Page::payloads);
    }

    /**
     * The epoch this node would give an entry of {@code stream} appended now, for a reader that has
     * none and cannot learn the stream's (the store is unreachable): while a history shared by many
     * nodes cannot reach its store, the epoch this node numbers its own entries under; otherwise
     * {@link #epoch()}.
     */
    default String currentEpoch(String stream) {
        return epoch();
    }

    /** Names this history's lifetime: positions from a history with another epoch mean nothing here. */
    String epoch();

    @Override
    void close();

    /**
     * One entry of a stream.
     *
     * @param id its position, from 1
     * @param payload what was stored
     */
    record Entry(long id, String payload) {
        public Entry {
            if (id < 1) {
                throw new IllegalArgumentException("entry ids start at 1, not " + id);
            }
            Objects.requireNonNull(payload, "payload");
        }
    }

    /**
     * How much of a stream an append keeps, and how long: the newest {@code entries}, the whole
     * stream (entries, id counter and epoch) forgotten {@code ttl} after this append unless another
     * append comes first. Each append sets the stream's deadline anew, shorter or longer than the
     * last, so streams of one history may live for different times (a namespace's history
     * time to live, say). A stream that was only read, never appended to, lives the history's
     * {@link Retention#streamTtl()} from its first read.
     *
     * @param entries how many of the newest entries stay, at least 1
     * @param ttl how long the stream lives after this append, at least 1 ms; null for the history's
     *     own {@link Retention#streamTtl()}
     */
    record Keep(int entries, Duration ttl) {
        public Keep {
            if (entries < 1) {
                throw new IllegalArgumentException("keep must be at least 1, not " + entries);
            }
            if (ttl != null && ttl.toMillis() < 1) {
                throw new IllegalArgumentException("a stream's ttl must be at least 1 ms, not " + ttl);
            }
        }

        /** The newest {@code entries}, for the history's own {@link Retention#streamTtl()}. */
        public static Keep newest(int entries) {
            return new Keep(entries, null);
        }
    }

    /**
     * A payload with two holes, filled with an entry's epoch and id: {@code head + epoch + middle +
     * id + tail}. A store can fill it in itself, in the same step that numbers the entry.
     */
    record Template(String head, String middle, String tail) {
        public Template {
            Objects.requireNonNull(head, "head");
            Objects.requireNonNull(middle, "middle");
            Objects.requireNonNull(tail, "tail");
        }

        /** The payload of the entry {@code id} of {@code epoch}. */
        public String fill(String epoch, long id) {
            return head + epoch + middle + id + tail;
        }
    }

    /**
     * What {@link #take} took.
     *
     * @param payloads the oldest payloads of the queue, oldest first
     * @param more whether the queue holds more after them
     */
    record Page(List<String> payloads, boolean more) {
        public Page {
            payloads = List.copyOf(payloads);
        }
    }

    /**
     * What {@link #since} found.
     *
     * @param entries the kept entries after the position, oldest first
     * @param complete whether every entry after the position is among them
     * @param epoch names this life of the stream: it changes with the history's {@link #epoch()} and
     *     when the stream was forgotten and began again; a position read under another stream epoch
     *     means nothing now. Empty when the store could not be reached: then nothing is known, and a
     *     reader keeps its own
     */
    record Recovery(List<Entry> entries, boolean complete, String epoch) {
        public Recovery {
            entries = List.copyOf(entries);
            Objects.requireNonNull(epoch, "epoch");
        }
    }
}
