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
import io.switchboard.testkit.TestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A subscribe racing publications on one node: the subscriber gets every publication after its
 * position once, in order, whether it came in the subscribe reply (recovery) or live.
 */
class SubscribeRaceTest {

    private static final int SUBSCRIBERS = 20;
    private static final int PUBLICATIONS = 3000; // within the history of quiet:, so recovery from 0 is complete

    @Test
    void aSubscriberRacingPublicationsMissesAndRepeatsNothing() throws Exception {
        try (Fixture fixture = new Fixture()) {
            List<TestClient> fresh = new ArrayList<>();
            for (int i = 0; i < SUBSCRIBERS; i++) {
                fresh.add(fixture.connected("lee" + i));
            }
            TestClient recovering = fixture.connected("max");
            CountDownLatch started = new CountDownLatch(1);
            Thread publisher = Thread.ofVirtual().start(() -> publishAll(fixture, started));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            recovering.sendText("{\"id\":2,\"subscribe\":{\"channel\":\"quiet:race\",\"recover\":true,\"offset\":0}}");
            for (TestClient client : fresh) {
                client.sendText("{\"id\":2,\"subscribe\":{\"channel\":\"quiet:race\"}}");
            }
            publisher.join();

            for (TestClient client : fresh) {
                JsonNode reply = RaceChecks.subscribeReply(client);
                List<Long> offsets = live(client, reply.get("offset").asLong());
                assertThat(offsets)
                        .containsExactlyElementsOf(
                                RaceChecks.range(reply.get("offset").asLong() + 1, PUBLICATIONS));
            }

            JsonNode recovered = RaceChecks.subscribeReply(recovering);
            assertThat(recovered.get("recovered").asBoolean()).isTrue();
            List<Long> all = new ArrayList<>();
            recovered
                    .get("publications")
                    .forEach(pub -> all.add(pub.get("offset").asLong()));
            all.addAll(live(recovering, recovered.get("offset").asLong()));
            assertThat(all).containsExactlyElementsOf(RaceChecks.range(1, PUBLICATIONS));
        }
    }

    private static void publishAll(Fixture fixture, CountDownLatch halfway) {
        for (int n = 1; n <= PUBLICATIONS; n++) {
            Await.of(fixture.channels.publish(
                    new Publish("quiet:race", JsonNodeFactory.instance.numberNode(n), Map.of(), false)));
            if (n == 5) {
                halfway.countDown();
            }
            Thread.onSpinWait();
        }
    }

    /** The offsets of the live publications after {@code from}, up to the last one published (join pushes skipped). */
    private static List<Long> live(TestClient client, long from) {
        List<Long> offsets = new ArrayList<>();
        while (offsets.size() < PUBLICATIONS - from) {
            JsonNode frame = Json.read(client.expectText(), JsonNode.class);
            if (frame.at("/push/pub").isObject()) {
                offsets.add(frame.at("/push/pub/offset").asLong());
            }
        }
        return offsets;
    }
}
