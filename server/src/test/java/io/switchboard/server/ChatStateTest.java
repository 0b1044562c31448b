/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.engine.InMemoryEngine;
import io.switchboard.engine.InMemoryHistory;
import io.switchboard.engine.Retention;
import io.switchboard.server.chat.ChatSettings;
import io.switchboard.testkit.Eventually;
import io.switchboard.testkit.TestServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the chat keeps after everyone left: no groups or presence at once, and its history and queued
 * direct messages only until their time to live.
 */
class ChatStateTest {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final InstantSource clock = () -> now;
    private final InMemoryHistory history =
            new InMemoryHistory(Retention.defaults().withMaxBytes(8L << 20), clock);
    private TestServer server;
    private Application app;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
            app.close();
        }
        history.close();
    }

    @Test
    void roomsAndAbsentUsersAreForgotten() {
        app = new Application(ChatSettings.defaults(), history, Clock.systemUTC());
        server = TestServer.start(b -> b.router(app.router()).authenticator(app.authenticator()));
        app.start(server.server());
        InMemoryEngine engine = (InMemoryEngine) server.server().hub();

        List<ChatClient> clients = new ArrayList<>();
        for (int room = 0; room < 20; room++) {
            for (String user : List.of("ann", "bob")) {
                ChatClient client = new ChatClient(server.connect("/ws/chat/r" + room + "?user=" + user), user);
                client.welcome();
                clients.add(client);
            }
            clients.get(clients.size() - 1).say("hello");
            clients.get(clients.size() - 1).tell("absent" + room, "are you there?");
        }
        assertThat(engine.groupCount()).isEqualTo(20 + 2); // the rooms, and ann's and bob's user groups
        for (ChatClient client : clients) {
            client.socket.close();
        }
        // Closes are handled on the server's threads; the engine's count emits no event.
        Eventually.until("every group to be forgotten", Duration.ofSeconds(10), () -> engine.groupCount() == 0);
        for (ChatClient client : clients) {
            while (!(client.socket.nextEvent() instanceof io.switchboard.testkit.ClientEvent.Closed)) {
                // what reached it before its close
            }
        }
        assertThat(history.keptCount()).isEqualTo(20 + 20); // each room's history and queue

        now = now.plus(Duration.ofHours(24));
        history.sweep();
        assertThat(history.keptCount()).isZero();
        assertThat(history.keptBytes()).isZero();
    }
}
