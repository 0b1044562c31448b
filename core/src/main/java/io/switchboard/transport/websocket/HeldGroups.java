/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Message;
import io.switchboard.session.ReleaseFilter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The groups whose broadcasts one connection holds back ({@code Session.joinHeld}): from before the
 * connection joins such a group until the handler releases it, the group's broadcasts to this
 * connection are kept as {@link Message}s instead of written. A release writes the handler's message
 * first, then the held messages its filter keeps, in order, on the event loop: a later broadcast of
 * the group is written after them, so nothing overtakes the handler's message (a subscribe reply,
 * say) and nothing broadcast since the hold began is lost. The filter then stays on the group's
 * later broadcasts until the connection leaves it: one made before the handler read its state but
 * delivered after the release (from another node, say) is dropped as a held one would be.
 *
 * <p>Bounded: held messages count against the outbound buffer limit ({@link
 * io.switchboard.settings.Buffers#outboundBufferBytes()}). Past it the connection is closed with 1008
 * ("slow consumer") whatever the slow consumer policy, since dropping a held message would lose it
 * silently, and what was held is dropped. Holding messages rather than frames keeps no buffer: a
 * connection that closes while holding just forgets them.
 *
 * <p>Threads: {@link #start}, {@link #release} and {@link #cancel} from any thread (releases and
 * filters act on the loop, in the order called); {@link #hold} and {@link #clear} on the channel's
 * event loop.
 */
public final class HeldGroups {

    private static final Logger log = LoggerFactory.getLogger(HeldGroups.class);

    /** One hold of a group; its list, bytes and {@code settled} are touched on the loop only. */
    private static final class Held {
        private final List<Message> messages = new ArrayList<>();
        private long bytes;
        /** Its bytes no longer count (released, cancelled or cleared). */
        private boolean settled;
        /** A release was asked for: a new hold of the group starts afresh. */
        private volatile boolean released;
    }

    /**
     * Held groups: added on any thread before the join is submitted, so the loop sees them first.
     * Empty and shared until the first hold: few connections ever hold a group, and every idle
     * connection would otherwise carry a map.
     */
    private volatile Map<String, Held> groups = Collections.emptyMap();

    private final Channel channel;
    private final Outbound outbound;
    private final long limit;
    private final Object who;
    private final OutboundCounts counters;
    /** Closes the connection; on the loop. */
    private final Consumer<CloseStatus> close;

    // Event-loop only.
    /** The filters released holds left on their groups, until the connection leaves them; made on the first. */
    private Map<String, Predicate<Message>> filters = Collections.emptyMap();

    private long heldBytes;
    private boolean overflowed;
    /** Whether a filter was ever installed: until then a leave has nothing to drop on the loop. */
    private volatile boolean filtering;

    /**
     * @param limit the most bytes held at once, over every group
     * @param who the connection, as log lines name it
     * @param close closes the connection with a status; called on the loop
     */
    public HeldGroups(Channel channel, Outbound outbound, long limit, Object who, Consumer<CloseStatus> close) {
        this(channel, outbound, limit, who, close, OutboundCounts.NONE);
    }

    /**
     * @param counters where the held broadcasts written on release are counted (as sent and
     *     delivered; the handler's message is counted by {@code outbound}), and a close for holding
     *     too much
     */
    public HeldGroups(
            Channel channel,
            Outbound outbound,
            long limit,
            Object who,
            Consumer<CloseStatus> close,
            OutboundCounts counters) {
        this.counters = counters;
        this.channel = channel;
        this.outbound = outbound;
        this.limit = limit;
        this.who = who;
        this.close = close;
    }

    /** Starts holding {@code group}'s broadcasts; a hold not yet released goes on. Any thread. */
    public void start(String group) {
        heldGroups().compute(group, (name, old) -> old == null || old.released ? new Held() : old);
    }

    /**
     * A broadcast of {@code group}: true when it was taken here (held, dropped by the group's filter
     * or past the cap) and must not be written. A null message (a frame without one) is never held.
     * On the loop.
     */
    public boolean hold(String group, Message message) {
        if (message == null || (groups.isEmpty() && filters.isEmpty())) {
            return false;
        }
        Held held = groups.get(group);
        if (held == null) {
            Predicate<Message> filter = filters.get(group);
            if (filter == null) {
                return false;
            }
            boolean kept = kept(filter, message);
            if (filter instanceof ReleaseFilter settling && settling.settled()) {
                filters.remove(group); // nothing older can follow: later broadcasts go untested
            }
            return !kept;
        }
        int size = message.size();
        if (overflowed || heldBytes + size > limit) {
            overflow();
            return true;
        }
        held.messages.add(message);
        held.bytes += size;
        heldBytes += size;
        return true;
    }

    private void overflow() {
        if (overflowed) {
            return;
        }
        overflowed = true;
        if (outbound.closable()) { // a connection already closing (for being slow, say) is not closed again
            counters.onSlowConsumerClosed();
            ConnectionLog.info(log, who)
                    .addKeyValue(ConnectionLog.CODE, CloseStatus.POLICY_VIOLATION.code())
                    .log("closing {} with 1008: slow consumer ({} bytes of held broadcasts)", who, heldBytes);
            close.accept(CloseStatus.POLICY_VIOLATION.withReason("slow consumer"));
        }
        for (Held held : groups.values()) { // the groups stay held: nothing more of them goes out
            held.messages.clear();
            held.bytes = 0;
        }
        heldBytes = 0;
    }

    /**
     * Ends the hold of {@code group}: writes {@code first} (unless null), then each held message
     * {@code keep} accepts, in the order they arrived, then flushes; {@code keep} then filters the
     * group's later broadcasts until {@link #cancel}. Without a hold, only {@code first} is written.
     * Any thread; the writes happen on the loop, after the connection's writes asked for before.
     */
    public void release(String group, Message first, Predicate<Message> keep) {
        Held held = groups.get(group);
        if (held != null) {
            held.released = true;
        }
        if (channel.eventLoop().inEventLoop()) {
            releaseNow(group, held, first, keep);
        } else {
            Loops.execute(channel.eventLoop(), () -> releaseNow(group, held, first, keep));
        }
    }

    private void releaseNow(String group, Held held, Message first, Predicate<Message> keep) {
        if (first != null) {
            outbound.write(first, false); // counted as sent there, once written
        }
        if (held != null && !held.settled) {
            groups.remove(group, held);
            settle(held);
            writeHeld(held, keep);
            if (!(keep instanceof ReleaseFilter settling && settling.settled())) {
                if (filters.isEmpty()) {
                    filters = new HashMap<>(); // the first filter; the empty map before it is shared
                }
                filters.put(group, keep);
                filtering = true;
            }
        }
        channel.flush();
    }

    /** Writes what {@code held} kept that {@code keep} accepts: broadcasts delivered late, counted as such. */
    private void writeHeld(Held held, Predicate<Message> keep) {
        int written = 0;
        long bytes = 0;
        for (Message message : held.messages) {
            if (kept(keep, message)) {
                WebSocketFrame frame = Frames.frame(channel.alloc(), message);
                int size = frame.content().readableBytes();
                if (outbound.writeCounted(frame)) {
                    written++;
                    bytes += size;
                }
            }
        }
        if (written > 0) {
            counters.onDelivered(written);
            counters.onSent(written, bytes);
        }
    }

    /** The handler's filter's answer; a filter that throws keeps the message (delivered, not lost) and is logged. */
    private boolean kept(Predicate<Message> keep, Message message) {
        try {
            return keep.test(message);
        } catch (RuntimeException e) {
            ConnectionLog.warn(log, who)
                    .setCause(e)
                    .log("the held-group filter of {} failed; the broadcast is delivered", who);
            return true;
        }
    }

    private void settle(Held held) {
        held.settled = true;
        heldBytes -= held.bytes;
    }

    /**
     * The connection left {@code group}: its hold ends, dropping what it held, and so does its
     * filter. Any thread: a later {@link #start} holds afresh.
     */
    public void cancel(String group) {
        Held held = groups.remove(group);
        if (held == null && !filtering) {
            return; // the common leave: nothing was ever held or filtered
        }
        Runnable drop = () -> {
            if (held != null && !held.settled) {
                settle(held);
            }
            filters.remove(group);
        };
        if (channel.eventLoop().inEventLoop()) {
            drop.run();
        } else {
            Loops.execute(channel.eventLoop(), drop);
        }
    }

    /** Drops every hold and filter: the connection is closing or closed. On the loop, or once it stopped. */
    public void clear() {
        groups.values().forEach(held -> held.settled = true);
        groups.clear();
        filters.clear();
        heldBytes = 0;
    }

    /** The map of held groups, made now on the first hold. Any thread. */
    private Map<String, Held> heldGroups() {
        Map<String, Held> map = groups;
        if (map instanceof ConcurrentHashMap) {
            return map;
        }
        synchronized (this) {
            if (!(groups instanceof ConcurrentHashMap)) {
                groups = new ConcurrentHashMap<>();
            }
            return groups;
        }
    }

    /** How many messages are held now, over every group. On the loop. */
    public int size() {
        return groups.values().stream().mapToInt(held -> held.messages.size()).sum();
    }
}
