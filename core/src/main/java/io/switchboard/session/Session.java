/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * One WebSocket connection as its handler sees it.
 *
 * <h2>Threading</h2>
 *
 * <p>Every method is thread-safe and none blocks: a handler may send from its callbacks, from a
 * thread of its own, or hand the session to another component.
 *
 * <h2>Backpressure</h2>
 *
 * <p>Sends are queued on the connection's outbound buffer, which is bounded ({@code
 * io.switchboard.settings.Buffers#outboundBufferBytes}). When a client stops reading and the buffer is full, the server's
 * slow consumer policy applies: by default the connection is closed with 1008 ("slow consumer");
 * with the drop policy the message is dropped. Either way the send returns {@code false}, as it
 * does when the session is closed. Nothing grows without bound.
 */
public interface Session {

    /** This session's unique address. */
    Address address();

    /** What was known at connect time: path, parameters, headers, cookies, remote address. */
    Scope scope();

    /** The authenticated user, if the authenticator named one. */
    Optional<User> user();

    /**
     * The subprotocol the handler chose in the handshake, if any. A {@code bearer.TOKEN} entry the
     * server answered with because the token came in it is not one: the token goes no further.
     */
    Optional<String> subprotocol();

    /** Sends a text message; returns {@code false} if it was not queued (closed, or buffer full). */
    boolean send(String text);

    /** Sends a binary message; the array must not change afterwards. Returns as {@link #send(String)}. */
    boolean send(byte[] data);

    /** Sends a message; returns as {@link #send(String)}. */
    boolean send(Message message);

    /** Sends {@code value} as a JSON text message; returns as {@link #send(String)}. */
    default boolean sendJson(Object value) {
        return send(Message.json(value));
    }

    /** Closes with 1000 (normal closure). */
    default void close() {
        close(CloseStatus.NORMAL);
    }

    /** Closes with {@code code} and {@code reason}. */
    default void close(int code, String reason) {
        close(CloseStatus.of(code, reason));
    }

    /**
     * Starts the closing handshake with {@code status}; later sends return {@code false}. The
     * connection is closed when the client answers, or after the close timeout. Closing twice does
     * nothing. Fails if the code may not be sent (1005, 1006, 1015).
     */
    void close(CloseStatus status);

    /** Whether the session is open: accepted and not yet closing. */
    boolean isOpen();

    /**
     * Completes with the close status once the connection is closed, before {@code onDisconnect} runs.
     * Lets code outside the handler (a ticker, a blocking function) stop when the client goes.
     */
    CompletionStage<CloseStatus> closeFuture();

    /**
     * Joins {@code group} on every node. Completes with what the join changed for this session's user
     * in the group. Groups are left automatically when the session closes.
     */
    CompletionStage<MembershipChange> join(String group);

    /**
     * Joins {@code group} as {@link #join} does, and holds the group's broadcasts to this session
     * from before the join takes effect until {@link #release}: for a handler that reads some state
     * (a history, a snapshot) after joining and must send it before any broadcast, without losing a
     * broadcast made between the join and the read. Typical use: {@code joinHeld}, wait for it, read
     * the state, then {@code release(group, reply, m -> newerThanTheReply(m))}.
     *
     * <p>Held broadcasts count against the outbound buffer limit: past it the connection is closed
     * with 1008 ("slow consumer"), whatever the slow consumer policy, so a hold must be short. A
     * {@link #leave} ends the hold and drops what it held; a close drops everything held.
     */
    CompletionStage<MembershipChange> joinHeld(String group);

    /**
     * Ends the hold of {@code group} begun by {@link #joinHeld}: sends {@code first} (unless null),
     * then each held broadcast {@code keep} accepts, in the order they came; a later broadcast of
     * the group follows them, so none overtakes {@code first}. {@code keep} then goes on filtering
     * the group's broadcasts to this session until it leaves the group: one made before the state was
     * read but delivered after the release (from another node, say) is dropped as a held one would
     * be; a {@link ReleaseFilter} ends sooner, once it says it is settled. Without a hold, only
     * sends {@code first}. Thread-safe; it returns at once and the sends happen in order with sends
     * made before.
     */
    void release(String group, Message first, Predicate<Message> keep);

    /** Leaves {@code group}; completes with what the leave changed for this session's user. */
    CompletionStage<MembershipChange> leave(String group);

    /** The groups this session is in. */
    Set<String> groups();

    /** Sends to groups, users and other sessions. */
    Hub hub();

    /**
     * How many latest values ({@link Hub#broadcastLatest}) this session's client did not receive
     * because a newer value of the same key replaced them while its outbound buffer was backed up.
     * Thread-safe; 0 where nothing conflates.
     */
    default long conflated() {
        return 0;
    }

    /**
     * A thread-safe map for this connection's own state, for handlers built from lambdas that have
     * no fields of their own.
     */
    Map<String, Object> attributes();
}
