/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.examples;

import io.switchboard.routing.Router;
import io.switchboard.session.Session;
import io.switchboard.session.WebSocketHandler;

/** {@code ws://HOST:PORT/ws/echo}: every text and binary message goes back to its sender. */
public final class EchoExample {

    private EchoExample() {}

    /** One instance per connection; it has no state, so it only overrides the two receive callbacks. */
    static final class EchoHandler implements WebSocketHandler {
        @Override
        public void onText(Session session, String text) {
            session.send(text);
        }

        @Override
        public void onBinary(Session session, byte[] data) {
            session.send(data);
        }
    }

    public static Router router() {
        return Router.builder().websocket("/ws/echo", EchoHandler::new).build();
    }

    public static void main(String[] args) throws InterruptedException {
        Examples.run("echo", args);
    }
}
