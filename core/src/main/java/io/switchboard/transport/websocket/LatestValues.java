/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.switchboard.routing.ConflatedText;
import io.switchboard.session.Message;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest value of each key that a backed-up connection has not received yet (latest-value
 * conflation): a newer value of a held key replaces it, and counts the older one as skipped. At most
 * {@code maxKeys} keys are held, whose values come to at most {@code maxBytes} (each counted as its
 * size and a small overhead, so that empty values count too). Keys are per group: two groups' values
 * of one key are two keys. Values are the broadcast's own {@link Message}, shared with every
 * other member: nothing here holds a buffer, so a connection that ends with values held leaks
 * nothing.
 *
 * <p>Values leave oldest key first (the order in which their keys were first held), each rendered by
 * the route's {@link ConflatedText} when it replaced older ones.
 *
 * <h2>When values are held</h2>
 *
 * <p>A keyed broadcast ({@code Hub.broadcastLatest}, {@code Outbound.writeLatest}) to a client that
 * reads goes out like any other. To a client that is <em>backed up</em> (the channel is not writable
 * even after a flush: its outbound buffer passed the limit, Netty's high water mark, and has not
 * drained to half of it, the low water mark) only the newest value of each key is held here, at
 * most {@link io.switchboard.settings.Buffers#maxConflatedKeys()} keys (a further key meets the
 * slow-consumer policy), and the connection is not closed for it. When the channel becomes writable
 * again, the held values go out ({@link #drainTo}), each encoded for this client alone; while any
 * are held, later keyed broadcasts join them, so the values of one key never overtake each other.
 * Unkeyed messages are never held: they are written (or meet the policy) when sent, so one sent
 * while values are held goes out before those values, which leave only once the client has read
 * enough.
 *
 * <p>Threads: the connection's event loop; {@link #conflated()} from any thread.
 */
final class LatestValues {

    private static final Logger log = LoggerFactory.getLogger(LatestValues.class);

    /** A key's newest value and how many older values of the key it replaced. */
    private static final class Held {
        Message message;
        int skipped;

        Held(Message message) {
            this.message = message;
        }
    }

    /** What one held value costs beside its bytes: its entry, its key. */
    static final int OVERHEAD_BYTES = 64;

    private final int maxKeys;
    private final long maxBytes;
    private long bytes;
    /** Rewrites a value that replaced older ones; null sends it as broadcast. */
    private final ConflatedText render;

    private final Map<String, Held> held = new LinkedHashMap<>();
    /** Counts the values conflated away, and those that go out, as deliveries. */
    private final OutboundCounts counters;
    /** Written on the loop only; volatile so that a reader on another thread sees it. */
    private volatile long conflated;
    /** {@link #drainTo} is running: a flush inside it may report writability again. */
    private boolean draining;

    LatestValues(int maxKeys, long maxBytes, ConflatedText render) {
        this(maxKeys, maxBytes, render, OutboundCounts.NONE);
    }

    LatestValues(int maxKeys, long maxBytes, ConflatedText render, OutboundCounts counters) {
        this.counters = counters;
        this.maxKeys = maxKeys;
        this.maxBytes = maxBytes;
        this.render = render;
    }

    /**
     * Holds {@code message} as the newest value of {@code key} in {@code group}; false, holding
     * nothing, when the key is not held and {@code maxKeys} others are, or when its value would take
     * the held values past {@code maxBytes}.
     */
    boolean hold(String group, String key, Message message) {
        String name = group + '\n' + key; // group names are printable ASCII: no newline
        Held before = held.get(name);
        long cost = message.size() + (long) OVERHEAD_BYTES;
        if (before != null) {
            long after = bytes - before.message.size() + message.size();
            if (after > maxBytes) {
                return false;
            }
            bytes = after;
            before.message = message; // the key keeps its place: it was first held earlier
            before.skipped++;
            conflated++;
            counters.onSlowConsumerDropped(1); // the older value will never go out
            return true;
        }
        if (held.size() >= maxKeys || bytes + cost > maxBytes) {
            return false;
        }
        held.put(name, new Held(message));
        bytes += cost;
        return true;
    }

    boolean isEmpty() {
        return held.isEmpty();
    }

    /** How many keys have a value held now. */
    int size() {
        return held.size();
    }

    /** How many values were replaced by a newer one of their key, over the connection's life. Any thread. */
    long conflated() {
        return conflated;
    }

    /**
     * Writes the held values to {@code channel}, oldest key first, while it stays writable and the
     * connection open, with a flush after each pass; counts each pass as broadcasts delivered late,
     * before its flush.
     */
    void drainTo(Channel channel, Lifecycle lifecycle) {
        if (draining) {
            return; // a flush below reported writability again: the loop here goes on anyway
        }
        draining = true;
        try {
            drain(channel, lifecycle);
        } finally {
            draining = false;
        }
    }

    private void drain(Channel channel, Lifecycle lifecycle) {
        while (!isEmpty() && lifecycle.open() && channel.isWritable()) {
            int written = 0;
            long writtenBytes = 0;
            while (!isEmpty() && channel.isWritable()) {
                WebSocketFrame frame = Frames.frame(channel.alloc(), next());
                writtenBytes += frame.content().readableBytes();
                channel.write(frame, channel.voidPromise());
                written++;
            }
            counters.onDelivered(written);
            counters.onSent(written, writtenBytes);
            channel.flush();
        }
    }

    /** Takes the value of the key held longest, rendered; null when none is held. */
    Message next() {
        Iterator<Held> values = held.values().iterator();
        if (!values.hasNext()) {
            return null;
        }
        Held first = values.next();
        values.remove();
        bytes -= first.message.size() + (long) OVERHEAD_BYTES;
        return rendered(first);
    }

    private Message rendered(Held value) {
        if (render == null || value.skipped == 0 || !(value.message instanceof Message.Text text)) {
            return value.message;
        }
        try {
            return Message.text(render.render(text.text(), value.skipped));
        } catch (RuntimeException e) {
            log.warn("rendering a conflated value failed; sending it as broadcast", e);
            return value.message;
        }
    }
}
