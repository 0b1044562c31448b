/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.switchboard.channels.ChannelsApi.Publish;
import io.switchboard.json.Json;
import io.switchboard.redis.RedisEngine;
import io.switchboard.redis.RedisHistory;
import io.switchboard.redis.RedisSettings;
import io.switchboard.testkit.RedisServer;
import io.switchboard.testkit.TestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Subscribes on one node racing publications made on another, both on one real Redis: every
 * subscriber gets each publication after its reply's position once, in order, and none before the
 * reply (the centrifuge client drops those while it subscribes). The publications of the window
 * between a subscriber's history read and its reply come from the other node, through Redis, so no
 * lock of the subscriber's node orders them: only holding the channel's broadcasts does.
 */
class SubscribeRaceOnRedisTest {

    private static final int SUBSCRIBERS = 60;
    private static final int PUBLICATIONS = 3000; // within the history of quiet:, so recovery from 0 is complete
    private static final int EVERY = PUBLICATIONS / (SUBSCRIBERS + 10);

    @Test
    void subscribersOnOneNodeMissAndRepeatNothingPublishedOnTheOther() throws Exception {
        try (RedisServer redis = RedisServer.start();
                Fixture subscribing = node(redis);
                Fixture publishing = node(redis)) {
            List<TestClient> clients = new ArrayList<>();
            for (int i = 0; i < SUBSCRIBERS; i++) {
                clients.add(subscribing.connected("sam" + i));
            }
            Thread publisher = Thread.ofVirtual().start(() -> publishAll(publishing, clients));
            publisher.join();

            for (int i = 0; i < SUBSCRIBERS; i++) {
                TestClient client = clients.get(i);
                JsonNode reply = RaceChecks.subscribeReply(client);
                List<Long> offsets = new ArrayList<>();
                if (recovering(i)) {
                    assertThat(reply.get("recovered").asBoolean()).isTrue();
                    reply.get("publications")
                            .forEach(pub -> offsets.add(pub.get("offset").asLong()));
                }
                offsets.addAll(live(client, reply.get("offset").asLong()));
                long first = recovering(i) ? 1 : reply.get("offset").asLong() + 1;
                assertThat(offsets)
                        .as("subscriber " + i)
                        .containsExactlyElementsOf(RaceChecks.range(first, PUBLICATIONS));
            }
        }
    }

    private static boolean recovering(int subscriber) {
        return subscriber % 3 == 0;
    }

    /** Publishes on one node, each subscriber subscribing on the other after every few publications. */
    private static void publishAll(Fixture fixture, List<TestClient> clients) {
        int next = 0;
        for (int n = 1; n <= PUBLICATIONS; n++) {
            Await.of(fixture.channels.publish(
                    new Publish("quiet:race", JsonNodeFactory.instance.numberNode(n), Map.of(), false)));
            if (n % EVERY == 0 && next < clients.size()) {
                String recover = recovering(next) ? ",\"recover\":true,\"offset\":0" : "";
                clients.get(next++).sendText("{\"id\":2,\"subscribe\":{\"channel\":\"quiet:race\"" + recover + "}}");
            }
        }
    }

    /** The offsets of the live publications after {@code from}, up to the last one published. */
    private static List<Long> live(TestClient client, long from) {
        List<Long> offsets = new ArrayList<>();
        long last = from;
        while (last < PUBLICATIONS) {
            JsonNode frame = Json.read(client.expectText(), JsonNode.class);
            if (frame.at("/push/pub").isObject()) {
                last = frame.at("/push/pub/offset").asLong();
                offsets.add(last);
            }
        }
        return offsets;
    }

    private static Fixture node(RedisServer redis) {
        RedisSettings settings = RedisSettings.of(redis.uri());
        return new Fixture(Channels.builder(), null, RedisHistory.connect(settings), RedisEngine.connect(settings));
    }
}
