/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

/**
 * What the writing side of connections counts for the server's statistics (the transport's {@code
 * Counters} implements it): data messages sent, broadcast deliveries, and what the slow-consumer
 * policy did. Its own small interface so that this package and the fan-out count without depending on
 * the transport above them. Thread-safe; each method returns at once when counting is off.
 */
public interface OutboundCounts {

    /** Counts nothing: for pieces built without a server. */
    OutboundCounts NONE = new OutboundCounts() {
        @Override
        public void onSent(int messages, long payloadBytes) {}

        @Override
        public void onDelivered(int members) {}

        @Override
        public void onSlowConsumerClosed() {}

        @Override
        public void onSlowConsumerDropped(int messages) {}
    };

    /**
     * {@code messages} data messages of {@code payloadBytes} in all were given to their channels to
     * write, on the event loop and before the flush that sends them; never for a message taken but
     * not written (a close came first, or it was dropped).
     */
    void onSent(int messages, long payloadBytes);

    /** A group broadcast was written to {@code members} members (also counted by {@link #onSent}). */
    void onDelivered(int members);

    /** A connection was closed for being a slow consumer. */
    void onSlowConsumerClosed();

    /** {@code messages} were dropped for a slow consumer, or conflated away. */
    void onSlowConsumerDropped(int messages);
}
