/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import io.switchboard.session.Execution;
import io.switchboard.session.Session;
import io.switchboard.session.WebSocketHandler;

/** {@code /ws/echo}: every text and binary message back to its sender, from the event loop. */
final class EchoHandler implements WebSocketHandler {

    @Override
    public void onText(Session session, String text) {
        session.send(text);
    }

    @Override
    public void onBinary(Session session, byte[] data) {
        session.send(data);
    }

    @Override
    public Execution execution() {
        return Execution.EVENT_LOOP; // it never blocks
    }
}
