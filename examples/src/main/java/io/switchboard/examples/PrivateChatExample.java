/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.examples;

import io.switchboard.json.Json;
import io.switchboard.json.JsonException;
import io.switchboard.routing.Router;
import io.switchboard.security.Authentication;
import io.switchboard.security.Authenticator;
import io.switchboard.session.Message;
import io.switchboard.session.Session;
import io.switchboard.session.User;
import io.switchboard.session.WebSocketHandler;

/**
 * {@code ws://HOST:PORT/ws/{username}}: a client sends {@code {"message": "...", "to_user": "bob"}}
 * and every connection of {@code bob} receives that same JSON text. If {@code bob} has no connection,
 * the sender gets {@code {"error":"user_offline","to_user":"bob"}}.
 *
 * <p>The user name comes from the path through the authenticator, so the engine knows every
 * connection by its user and reaches all of them, on every node.
 */
public final class PrivateChatExample {

    private PrivateChatExample() {}

    /** What a client sends. */
    record Direct(String message, String to_user) {}

    /** What the sender gets back when the user is not connected (a record keeps the field order). */
    record Offline(String error, String to_user) {}

    /** What the sender gets back when its message could not be read. */
    record Invalid(String error, String detail) {}

    /** Trusts the path: fine for an example; a real server verifies a token. */
    static final Authenticator USER_FROM_PATH = scope -> Authentication.user(User.named(scope.pathParam("username")));

    static final class PrivateChatHandler implements WebSocketHandler {
        @Override
        public void onText(Session session, String text) {
            Direct direct;
            try {
                direct = Json.read(text, Direct.class);
            } catch (JsonException e) {
                session.sendJson(new Invalid("bad_json", e.getMessage()));
                return;
            }
            if (direct == null || direct.message() == null || direct.to_user() == null) {
                session.sendJson(new Invalid("bad_request", "message and to_user are required"));
                return;
            }
            session.hub().sendToUser(direct.to_user(), Message.text(text)).thenAccept(reached -> {
                if (reached == 0) {
                    session.sendJson(new Offline("user_offline", direct.to_user()));
                }
            });
        }
    }

    public static Router router() {
        return Router.builder()
                .websocket("/ws/{username}", PrivateChatHandler::new)
                .build();
    }

    public static void main(String[] args) throws InterruptedException {
        Examples.run("private-chat", args);
    }
}
