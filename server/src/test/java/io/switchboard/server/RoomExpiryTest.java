/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static io.switchboard.server.ChatClient.ids;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.engine.Retention;
import io.switchboard.redis.RedisHistory;
import io.switchboard.redis.RedisSettings;
import io.switchboard.server.chat.ChatSettings;
import io.switchboard.testkit.Eventually;
import io.switchboard.testkit.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A room nobody writes to expires in Redis, and its ids begin again at 1: a client that resumes
 * with a position from the room's earlier life is told it missed messages and gets what is kept,
 * never a "complete" recovery of messages it never saw.
 */
class RoomExpiryTest {

    private static final Duration TTL = Duration.ofMillis(1500);

    @Test
    void aPositionFromAnExpiredRoomIsNeverRecoveredAsComplete() {
        try (RedisServer redis = RedisServer.start()) {
            RedisSettings settings = RedisSettings.of(redis.uri()).withPrefix("expiry:");
            ChatSettings chat = ChatSettings.defaults().withRetention(new Retention(TTL, TTL, Retention.MIN_BYTES));
            try (ClusterNode node = ClusterNode.start(settings, chat);
                    RedisHistory probe = RedisHistory.connect(settings)) {
                ChatClient ann = node.join("lobby", "ann");
                String epoch = ann.welcome().get("epoch").asText();
                for (int i = 1; i <= 3; i++) {
                    ann.say("old " + i);
                    assertThat(ann.next("message").get("id").asLong()).isEqualTo(i);
                }
                ann.socket.close();
                ann.socket.expectClosed();

                // Redis expires keys on its own time and tells no one: poll.
                Eventually.until(
                        "the room to expire in Redis", Duration.ofSeconds(10), () -> probe.latest("chat:{lobby}", 10)
                                .toCompletableFuture()
                                .join()
                                .isEmpty());

                ChatClient bob = node.join("lobby", "bob");
                bob.welcome();
                for (int i = 1; i <= 5; i++) {
                    bob.say("new " + i);
                    assertThat(bob.next("message").get("id").asLong())
                            .as("ids begin again")
                            .isEqualTo(i);
                }

                ChatClient back =
                        new ChatClient(node.server.connect("/ws/chat/lobby?user=ann&since=3&epoch=" + epoch), "ann");
                JsonNode welcome = back.welcome();
                assertThat(welcome.get("recovered").asBoolean()).isFalse();
                assertThat(welcome.get("epoch").asText()).isNotEqualTo(epoch);
                assertThat(ids(welcome.get("history"))).containsExactly(1L, 2L, 3L, 4L, 5L);
                bob.next("join");
            }
        }
    }
}
