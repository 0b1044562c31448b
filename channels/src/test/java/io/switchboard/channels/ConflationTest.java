/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.channels.ChannelsApi.Publish;
import io.switchboard.channels.NamespaceOptions.ConflationKey;
import io.switchboard.channels.NamespaceOptions.PublishRule;
import io.switchboard.channels.NamespaceOptions.SubscribeRule;
import io.switchboard.engine.InMemoryHistory;
import io.switchboard.json.Json;
import io.switchboard.settings.Limits;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A namespace with a conflation key, through the protocol on real sockets: a subscriber that reads
 * gets every publication in order; one that stops reading is not closed and, once it reads again,
 * gets the newest publication of each key, tagged with how many it missed.
 */
class ConflationTest {

    private static final int KEYS = 8;
    private static final int ROUNDS = 2_000;
    private static final String PADDING = "x".repeat(1000);

    private static final Namespaces NAMESPACES = new Namespaces(
            NamespaceOptions.DEFAULTS,
            Map.of(
                    "ticker",
                    new NamespaceOptions(
                            100,
                            Duration.ofMinutes(5),
                            false,
                            false,
                            true,
                            SubscribeRule.AUTHENTICATED,
                            PublishRule.SERVER,
                            new ConflationKey("symbol", false))));

    private final TestTokens jwt = new TestTokens(Fixture.SECRET, Clock.systemUTC());

    @Test
    void aReaderGetsEveryPublicationAndABackedUpSubscriberTheNewestOfEachKey() throws Exception {
        Channels channels = Channels.builder()
                .history(new InMemoryHistory())
                .namespaces(NAMESPACES)
                .tokens(jwt.verifier())
                .build();
        Limits limits = Limits.defaults()
                .withBuffers(b -> b.withOutboundBufferBytes(64 * 1024))
                .withTimeouts(t -> t.withPingInterval(Duration.ofMinutes(10))); // the non-reader never answers
        try (TestServer server =
                        TestServer.start(b -> b.router(channels.router()).limits(limits));
                RawClient slow = server.raw();
                TestClient fast = server.connect(Channels.PATH)) {
            channels.start(server.server());
            subscribe(fast::sendText, fast::expectText);
            assertThat(slow.upgrade(Channels.PATH).status()).isEqualTo(101);
            subscribe(slow::sendText, () -> slow.readFrame().text());

            for (int round = 0; round < ROUNDS; round++) {
                for (int key = 0; key < KEYS; key++) {
                    channels.publish(new Publish("ticker:all", value(key, round), Map.of(), false))
                            .toCompletableFuture()
                            .get();
                }
                for (int key = 0; key < KEYS; key++) { // paced by the reader: it never backs up
                    JsonNode data = Json.read(fast.expectText(), JsonNode.class).at("/push/pub/data");
                    assertThat(data.get("round").asInt()).isEqualTo(round);
                    assertThat(data.get("symbol").asText()).isEqualTo("s" + key);
                }
            }

            Map<String, Integer> newest = new HashMap<>();
            int received = 0;
            int tagged = 0;
            while (newest.size() < KEYS || newest.values().stream().anyMatch(round -> round < ROUNDS - 1)) {
                JsonNode pub =
                        Json.read(slow.readFrame().text(), JsonNode.class).at("/push/pub");
                String symbol = pub.at("/data/symbol").asText();
                int round = pub.at("/data/round").asInt();
                Integer before = newest.put(symbol, round);
                int previous = before == null ? -1 : before;
                assertThat(round).as("%s never goes back", symbol).isGreaterThan(previous);
                if (pub.at("/tags/conflated").isTextual()) {
                    tagged++;
                    assertThat(pub.at("/tags/conflated").asInt()).isEqualTo(round - previous - 1);
                } else {
                    assertThat(round)
                            .as("untagged: nothing of %s was skipped", symbol)
                            .isEqualTo(previous + 1);
                }
                received++;
            }
            assertThat(tagged).as("the backed-up subscriber was conflated").isBetween(1, KEYS);
            assertThat(received).isLessThan(KEYS * ROUNDS);
            fast.assertNoUnreadEvents();
        } finally {
            channels.close();
        }
    }

    private void subscribe(java.util.function.Consumer<String> send, java.util.function.Supplier<String> read) {
        send.accept("{\"id\":1,\"connect\":{\"token\":"
                + Json.write(jwt.issue(Map.of(
                        "sub", "reader", "exp", Clock.systemUTC().instant().getEpochSecond() + 600)))
                + "}}");
        assertThat(read.get()).contains("\"connect\"");
        send.accept("{\"id\":2,\"subscribe\":{\"channel\":\"ticker:all\"}}");
        assertThat(read.get()).contains("\"id\":2").doesNotContain("error");
    }

    private static JsonNode value(int key, int round) {
        return Json.read(
                "{\"symbol\":\"s" + key + "\",\"round\":" + round + ",\"pad\":\"" + PADDING + "\"}", JsonNode.class);
    }
}
