package io.switchboard.engine;

import io.switchboard.session.Message;
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
 *   <li>A queue keeps its newest payloads; {@link #drain} takes them all, oldest first, exactly once.
 *   <li>A history shared by many nodes may be unable to reach its store for a while: then
 *       {@link #latest}, {@link #enqueue} and {@link #drain} complete exceptionally with
 *       {@link UnavailableException}, {@link #since} answers incomplete, and {@link #append} still
 *       numbers and publishes (see the implementation for what it promises about those ids).
 * </ul>
 *
 * <p>Thread-safe; no method blocks.
 */
public interface History extends AutoCloseable {

    /**
     * Appends to {@code stream}: the entry gets the next id, its payload is made from that id, and
     * only the newest {@code keep} entries stay. Then {@code publish} runs with the entry; on one node
     * it runs in id order for the stream, so a broadcast from it reaches clients in id order.
     */
    CompletionStage<Entry> append(String stream, LongFunction<String> payload, int keep, Consumer<Entry> publish);

    /**
     * Appends to {@code stream} an entry made from {@code payload} with its epoch and id, and
     * broadcasts it as text to {@code group} through {@code hub}, so that every member on every node
     * receives the stream's entries in id order. This default appends under {@link #epoch()} and
     * broadcasts from {@code publish}, in id order as {@link #append} promises on one node; a history
     * shared by many nodes orders the broadcast across them.
     */
    default CompletionStage<Entry> appendAndBroadcast(
            String stream, Template payload, int keep, Hub hub, String group) {
        String current = epoch();
        return append(
                stream,
                id -> payload.fill(current, id),
                keep,
                entry -> hub.broadcast(group, Message.text(entry.payload())));
    }

    /** The newest {@code count} entries of {@code stream}, oldest first. */
    CompletionStage<List<Entry>> latest(String stream, int count);

    /** The kept entries with an id above {@code after}, oldest first, and whether none is missing. */
    CompletionStage<Recovery> since(String stream, long after);

    /** Adds {@code payload} to {@code queue}, dropping the oldest beyond {@code keep}. */
    CompletionStage<Void> enqueue(String queue, String payload, int keep);

    /** Takes every payload in {@code queue}, oldest first, and empties it. */
    CompletionStage<List<String>> drain(String queue);

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
     * What {@link #since} found.
     *
     * @param entries the kept entries after the position, oldest first
     * @param complete whether every entry after the position is among them
     */
    record Recovery(List<Entry> entries, boolean complete) {
        public Recovery {
            entries = List.copyOf(entries);
        }
    }
}
