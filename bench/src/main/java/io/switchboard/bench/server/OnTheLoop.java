/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.server;

import io.switchboard.session.CloseStatus;
import io.switchboard.session.Decision;
import io.switchboard.session.Event;
import io.switchboard.session.Execution;
import io.switchboard.session.Session;
import io.switchboard.session.WebSocketHandler;

/**
 * Another handler, run on the event loop instead of where it asks to run: an experiment of the
 * {@code channels-loop} bench server, which measures what the protocol's publish path costs when no
 * hand-off to a virtual thread sits between a burst of publish commands and their broadcasts. Only
 * sound for a handler that never blocks, as the protocol's does with the in-memory engine and history.
 *
 * @param inner the handler every callback goes to
 */
record OnTheLoop(WebSocketHandler inner) implements WebSocketHandler {

    @Override
    public Decision onConnect(Session session) throws Exception {
        return inner.onConnect(session);
    }

    @Override
    public void onOpen(Session session) throws Exception {
        inner.onOpen(session);
    }

    @Override
    public void onText(Session session, String text) throws Exception {
        inner.onText(session, text);
    }

    @Override
    public void onBinary(Session session, byte[] data) throws Exception {
        inner.onBinary(session, data);
    }

    @Override
    public void onEvent(Session session, Event event) throws Exception {
        inner.onEvent(session, event);
    }

    @Override
    public void onDisconnect(Session session, CloseStatus status) throws Exception {
        inner.onDisconnect(session, status);
    }

    @Override
    public void onError(Session session, Throwable error) {
        inner.onError(session, error);
    }

    @Override
    public Execution execution() {
        return Execution.EVENT_LOOP;
    }
}
