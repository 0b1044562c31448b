/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.blocking;

import io.switchboard.session.WebSocketHandler;
import java.util.function.Supplier;

/**
 * A function that owns one connection from start to end, in the blocking style of dwebsocket: it
 * waits for messages with {@link BlockingSession#receive()}, sends, sleeps, and returns when done,
 * which closes the connection with 1000. It runs on a virtual thread of its own, so blocking costs
 * no platform thread.
 *
 * <pre>{@code
 * router.blocking("/ws/countdown", ws -> {
 *     ws.receive();                       // wait for the first message
 *     for (int i = 0; i < 10; i++) {
 *         ws.send("service message: " + i);
 *         Thread.sleep(500);
 *     }
 * });                                     // returning closes with 1000
 * }</pre>
 *
 * <p>An exception thrown by the function is logged once and closes the connection with 1011.
 */
@FunctionalInterface
public interface BlockingHandler {

    /** Serves the connection; returning closes it with 1000. */
    void handle(BlockingSession session) throws Exception;

    /** A handler supplier that runs {@code function} for each connection, with the default queue size. */
    static Supplier<WebSocketHandler> adapt(BlockingHandler function) {
        return adapt(function, BlockingSession.DEFAULT_QUEUE_SIZE);
    }

    /** A handler supplier that runs {@code function}, queueing at most {@code queueSize} messages. */
    static Supplier<WebSocketHandler> adapt(BlockingHandler function, int queueSize) {
        if (queueSize < 1) {
            throw new IllegalArgumentException("queue size must be at least 1, not " + queueSize);
        }
        return () -> new BlockingAdapter(function, queueSize);
    }
}
