/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.examples;

import io.switchboard.blocking.BlockingSession;
import io.switchboard.routing.Router;

/**
 * {@code ws://HOST:PORT/ws/countdown}: after the client's first message the server sends
 * {@code service message: 0} to {@code service message: 9}, half a second apart, then closes with
 * 1000. Written in the blocking style: a plain loop that owns the connection, on a virtual thread.
 */
public final class CountdownExample {

    private CountdownExample() {}

    static void countdown(BlockingSession ws) throws InterruptedException {
        ws.receive(); // wait for the client to speak first
        for (int i = 0; i < 10; i++) {
            if (!ws.send("service message: " + i)) {
                return; // the client left
            }
            if (i < 9) {
                Thread.sleep(500);
            }
        }
    } // returning closes the connection with 1000

    public static Router router() {
        return Router.builder()
                .blocking("/ws/countdown", CountdownExample::countdown)
                .build();
    }

    public static void main(String[] args) throws InterruptedException {
        Examples.run("countdown", args);
    }
}
