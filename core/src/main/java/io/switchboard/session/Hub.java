/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Sends to groups, users and single sessions, on this node and every other. Handlers reach it with
 * {@code session.hub()}, applications with {@code server.hub()}.
 *
 * <p>Thread-safe; no method blocks. Delivery is at most once: a send to a member whose connection
 * is closing, or whose outbound buffer is full, is dropped for that member only (see the slow
 * consumer policy) and never fails the send for the others. Messages from one sender to one group
 * arrive at every member in the order sent.
 */
public interface Hub {

    /**
     * Writes {@code message} to the socket of every member of {@code group}. The frame is encoded
     * once and shared; no handler runs. This is the fast path for fan-out.
     */
    default void broadcast(String group, Message message) {
        broadcast(group, message, null);
    }

    /**
     * As {@link #broadcast(String, Message)}, to every member but {@code except} (the sender, say);
     * {@code null} excludes nobody.
     */
    void broadcast(String group, Message message, Address except);

    /**
     * As {@link #broadcast(String, Message)}, for a stream of values where only the newest of each
     * {@code key} matters (a ticker's price, a cursor, a sensor reading): <em>latest-value
     * conflation</em>. A member that reads gets every message, as from {@code broadcast}, the frame
     * encoded once for all. A member whose outbound buffer is backed up keeps, per key, only the
     * newest message instead of queueing each (up to {@code Limits.buffers().maxConflatedKeys()} keys;
     * a message with a further key meets the slow consumer policy as any broadcast does), and is not
     * closed for it; once it reads again the newest value of each key goes out, oldest key first,
     * and {@link Session#conflated()} counts the values it never received. A value that replaced
     * older ones may be rewritten for the client by the route's {@code ConflatedText} (see {@code
     * WebSocketOptions}). Held values may arrive after unkeyed messages sent later; the values of one
     * key never overtake each other.
     *
     * <p>The default delivers every message with {@link #broadcast(String, Message)}: a hub that does
     * not conflate still keeps every promise above but the bound on what a slow member queues.
     */
    default void broadcastLatest(String group, String key, Message message) {
        broadcast(group, message);
    }

    /** Delivers {@code event} to the {@code onEvent} callback of every member of {@code group}. */
    void event(String group, Event event);

    /**
     * Sends to every open session of {@code user}, on every node. Completes with the number of
     * sessions reached; 0 means the user has no open connection.
     */
    CompletionStage<Integer> sendToUser(String user, Message message);

    /** Sends to the session at {@code address}; completes with whether it was open. */
    CompletionStage<Boolean> sendTo(Address address, Message message);

    /** The members of {@code group} on every node, in no particular order. */
    CompletionStage<List<MemberInfo>> members(String group);
}
