/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands work to an event loop that may have stopped. A shutdown whose drain runs out stops the loops
 * while handlers on virtual threads may still be running; what they then ask of a loop (a send, a
 * close, a broadcast) concerns connections that are already closed, so it is not an error to report
 * but work to drop, each caller releasing what the task would have.
 */
public final class Loops {

    private static final Logger log = LoggerFactory.getLogger(Loops.class);

    private Loops() {}

    /** Runs {@code task} on {@code loop} later; false, having run nothing, when the loop has stopped. */
    public static boolean execute(Executor loop, Runnable task) {
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            log.debug("event loop stopped; dropping a task: {}", e.getMessage());
            return false;
        }
    }
}
