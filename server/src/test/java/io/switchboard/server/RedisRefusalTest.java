/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.switchboard.redis.RedisSettings;
import io.switchboard.server.chat.ChatSettings;
import io.switchboard.testkit.RedisServer;
import org.junit.jupiter.api.Test;

/**
 * A Redis that refuses writes (out of memory under {@code noeviction}) is not an outage: a room or
 * direct message it refused reaches nobody, and its sender gets the error {@code unavailable} on a
 * connection that stays open.
 */
class RedisRefusalTest {

    @Test
    void aRefusedWriteAnswersUnavailableAndTheConnectionGoesOn() throws Exception {
        try (RedisServer redis = RedisServer.start();
                ClusterNode node = ClusterNode.start(
                        RedisSettings.of(redis.uri()).withPrefix("refusal:"), ChatSettings.defaults())) {
            ChatClient ann = node.join("lobby", "ann");
            ann.welcome();
            ChatClient bob = node.join("lobby", "bob");
            bob.welcome();
            ann.next("join");
            config(redis, "1");
            try {
                ann.say("refused");
                assertThat(ann.next("error").path("code").asText()).isEqualTo("unavailable");
                ann.tell("zed", "refused too"); // zed is away: the message would be kept
                JsonNode echo = ann.next();
                assertThat(echo.path("type").asText()).isEqualTo("direct"); // the sender's own copy
                assertThat(ann.next("error").path("code").asText()).isEqualTo("unavailable");
                bob.expectNothing();
            } finally {
                config(redis, "0");
            }
            ann.say("accepted");
            assertThat(ann.next("message").path("message").asText()).isEqualTo("accepted");
            assertThat(bob.next("message").path("message").asText()).isEqualTo("accepted");
        }
    }

    private static void config(RedisServer redis, String maxmemory) {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().configSet("maxmemory", maxmemory);
        } finally {
            client.shutdown();
        }
    }
}
