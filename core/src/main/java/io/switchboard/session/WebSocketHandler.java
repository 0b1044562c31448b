/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

/**
 * Serves one WebSocket connection. A route creates one instance per connection from a
 * {@code Supplier}, so fields hold that connection's state.
 *
 * <h2>Lifecycle</h2>
 *
 * <ol>
 *   <li>{@link #onConnect} runs once, before the handshake completes. It accepts (optionally with a
 *       subprotocol) or rejects with an HTTP status. Messages sent in {@code onConnect} are written
 *       right after the handshake, in order, before any group broadcast that arrived meanwhile for
 *       a group joined in {@code onConnect}; so a welcome sent in {@code onConnect} always comes first.
 *   <li>{@link #onOpen} runs once the connection is open: after the handshake response and the
 *       messages sent in {@code onConnect} are written, before any other callback. It does not run
 *       when the connection closed first (closed in {@code onConnect}, or the client already gone),
 *       and then no message reaches the handler either: only {@code onDisconnect} runs. Join groups
 *       and send a welcome in {@code onConnect} when nothing may overtake them: by the time {@code
 *       onOpen} runs, group traffic and the client's first messages may already be flowing.
 *   <li>{@link #onText}, {@link #onBinary} and {@link #onEvent} run for each complete message and
 *       each group event, in arrival order, after {@code onOpen}.
 *   <li>{@link #onDisconnect} runs once after the connection is closed, with the close status (1006 when
 *       the peer vanished without a close frame). It does not run for a rejected connection.
 *       Broadcasts no longer reach the session; groups it has not left in {@code onDisconnect} are
 *       left right after it returns (leave explicitly to learn whether the user's presence
 *       changed).
 * </ol>
 *
 * <h2>Threading</h2>
 *
 * <p>Callbacks for one connection never run concurrently and always run in arrival order, so a
 * handler needs no locks for its own fields. By default ({@link Execution#VIRTUAL_THREAD}) they run
 * on a virtual thread and may block; {@link #execution()} may choose the event loop instead.
 *
 * <h2>Backpressure</h2>
 *
 * <p>Inbound: while callbacks fall behind, messages queue per connection up to a byte limit; past it
 * the server stops reading from that socket, so a slow handler slows its own client down (TCP
 * backpressure) and nobody else. Outbound: {@link Session#send} never blocks; each connection has a
 * bounded outbound buffer and a policy for a client that does not read (see {@code Limits}).
 *
 * <h2>Errors</h2>
 *
 * <p>An exception thrown by a callback goes to {@link #onError}, which by default logs it once and
 * closes the connection with 1011 (internal error). Other connections are not affected. By default a handler accepts every connection and
 * closes with 1003 (unsupported data) on a kind of message it does not override.
 */
public interface WebSocketHandler {

    /** Decides whether to accept the connection. Accepts by default. */
    default Decision onConnect(Session session) throws Exception {
        return Decision.accept();
    }

    /**
     * The connection is open: the first callback after the handshake (see the lifecycle above). Does
     * nothing by default.
     */
    default void onOpen(Session session) throws Exception {}

    /** A complete text message arrived. Closes with 1003 unless overridden. */
    default void onText(Session session, String text) throws Exception {
        session.close(CloseStatus.UNSUPPORTED_DATA.withReason("text messages are not accepted here"));
    }

    /** A complete binary message arrived. Closes with 1003 unless overridden. */
    default void onBinary(Session session, byte[] data) throws Exception {
        session.close(CloseStatus.UNSUPPORTED_DATA.withReason("binary messages are not accepted here"));
    }

    /** A group event sent with {@code Hub.event} reached this session. Ignored unless overridden. */
    default void onEvent(Session session, Event event) throws Exception {}

    /** The connection is closed; {@code status} says how. */
    default void onDisconnect(Session session, CloseStatus status) throws Exception {}

    /**
     * A callback of this handler threw {@code error}: {@code onOpen}, {@code onText}, {@code
     * onBinary} or {@code onEvent}. By default it is logged once and the connection closes with
     * 1011 (internal error); override to map some errors to other close codes, or to answer and keep
     * the connection. Runs where the failed callback ran, once per failure; an exception thrown here
     * is logged and closes with 1011. A failed {@code onConnect} is answered with HTTP 500 and a
     * failed {@code onDisconnect} is logged: there is no open connection for this method to act on.
     */
    default void onError(Session session, Throwable error) {
        HandlerErrors.logAndClose(session, error);
    }

    /** Where the callbacks run; a virtual thread unless overridden. */
    default Execution execution() {
        return Execution.VIRTUAL_THREAD;
    }
}
