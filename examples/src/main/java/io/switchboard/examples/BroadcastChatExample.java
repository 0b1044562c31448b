/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.examples;

import io.switchboard.routing.Router;
import io.switchboard.session.Decision;
import io.switchboard.session.Message;
import io.switchboard.session.Session;
import io.switchboard.session.WebSocketHandler;

/**
 * {@code ws://HOST:PORT/ws/chat}: every text message is sent to every open connection, the sender
 * included. Each connection joins one group; a message is a broadcast to it, encoded once however
 * many are connected.
 */
public final class BroadcastChatExample {

    static final String GROUP = "chat";

    private BroadcastChatExample() {}

    static final class ChatHandler implements WebSocketHandler {
        @Override
        public Decision onConnect(Session session) {
            session.join(GROUP);
            return Decision.accept();
        }

        @Override
        public void onText(Session session, String text) {
            session.hub().broadcast(GROUP, Message.text(text));
        }
    }

    public static Router router() {
        return Router.builder().websocket("/ws/chat", ChatHandler::new).build();
    }

    public static void main(String[] args) throws InterruptedException {
        Examples.run("broadcast-chat", args);
    }
}
