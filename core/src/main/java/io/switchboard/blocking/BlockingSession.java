/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.blocking;

import io.switchboard.session.CloseStatus;
import io.switchboard.session.Message;
import io.switchboard.session.Session;
import java.time.Duration;
import java.util.Optional;

/**
 * The connection as a {@link BlockingHandler} sees it: incoming messages wait in a bounded queue
 * until the function takes them. Iterating yields every message until the connection closes.
 *
 * <p>The queue holds at most its capacity; while it is full the server stops reading from this
 * socket, so a function that does not take messages slows its own client down and nothing grows.
 * Methods other than the receiving ones are thread-safe and never block.
 */
public interface BlockingSession extends Iterable<Message> {

    /** Messages queued at most, unless the adapter is given another size. */
    int DEFAULT_QUEUE_SIZE = 64;

    /**
     * Waits for the next message. Throws {@link SessionClosedException} once the connection is closed
     * and every message that arrived before has been taken.
     */
    Message receive() throws InterruptedException;

    /** Waits up to {@code timeout} for the next message; empty on timeout. Throws as {@link #receive()}. */
    Optional<Message> receive(Duration timeout) throws InterruptedException;

    /** The next message if one is waiting, without blocking. Throws as {@link #receive()}. */
    Optional<Message> poll();

    /** How many messages are waiting. */
    int pending();

    /** Sends a text message; {@code false} if it was not queued (see {@link Session#send(String)}). */
    default boolean send(String text) {
        return session().send(text);
    }

    /** Sends a binary message; {@code false} if it was not queued. */
    default boolean send(byte[] data) {
        return session().send(data);
    }

    /** Sends {@code value} as JSON text; {@code false} if it was not queued. */
    default boolean sendJson(Object value) {
        return session().sendJson(value);
    }

    /** Closes with 1000. */
    default void close() {
        session().close();
    }

    /** Closes with {@code status}. */
    default void close(CloseStatus status) {
        session().close(status);
    }

    /** Whether the connection is open. */
    default boolean isOpen() {
        return session().isOpen();
    }

    /** The underlying session: scope, user, groups, hub. */
    Session session();
}
