/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import io.switchboard.session.Event;
import io.switchboard.session.Session;

/**
 * What the server API asks of a user's connections on every node: every connection joins its user's
 * group, and the API sends the group an {@link Event} that each connection's handler carries out (or
 * ignores, when it names another client).
 */
final class ServerCommands {

    static final String SUBSCRIBE = "channels.subscribe";
    static final String UNSUBSCRIBE = "channels.unsubscribe";
    static final String DISCONNECT = "channels.disconnect";
    static final String MESSAGE = "channels.message";

    private final SubscribeCommands subscribes;

    ServerCommands(SubscribeCommands subscribes) {
        this.subscribes = subscribes;
    }

    /**
     * An event's body.
     *
     * @param client the one connection meant, or "" for every connection of the user
     * @param channel the channel (subscribe, unsubscribe)
     * @param code the close code (disconnect)
     * @param reason the close reason (disconnect), or the message's data as JSON (message)
     */
    record Body(String client, String channel, int code, String reason) {
        Body {
            client = client == null ? "" : client;
        }
    }

    /** The event for {@code type} with {@code body}. */
    static Event event(String type, Body body) {
        return Event.of(type, body);
    }

    void handle(Session session, ClientState state, Event event) {
        Body body = event.body(Body.class);
        if (!body.client().isEmpty() && !body.client().equals(state.client)) {
            return;
        }
        switch (event.type()) {
            case SUBSCRIBE -> subscribes.serverSubscribe(session, state, body.channel());
            case UNSUBSCRIBE -> subscribes.serverUnsubscribe(session, state, body.channel());
            case DISCONNECT -> {
                state.closing = true;
                session.close(body.code(), body.reason());
            }
            case MESSAGE -> session.send(Wire.message(body.reason()));
            default -> {}
        }
    }
}
