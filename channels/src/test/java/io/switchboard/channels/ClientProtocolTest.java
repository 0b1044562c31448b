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
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientProtocolTest {

    private static JsonNode read(String text) {
        return Json.read(text, JsonNode.class);
    }

    private static JsonNode data(String text) {
        return read(text);
    }

    @Test
    void connectSubscribeAndReceiveAPublicationFromTheApi() throws Exception {
        try (Fixture fixture = new Fixture()) {
            TestClient client = fixture.server.connect(Channels.PATH);
            client.sendText("{\"id\":1,\"connect\":{\"token\":" + Json.write(fixture.token("alice")) + "}}");
            JsonNode connect = read(client.expectText()).get("connect");
            assertThat(connect.get("client").asText()).isNotEmpty();
            assertThat(connect.get("pong").asBoolean()).isTrue();
            assertThat(connect.get("expires").asBoolean()).isTrue();

            client.sendText("{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}");
            JsonNode subscribe = read(client.expectText());
            assertThat(subscribe.get("id").asInt()).isEqualTo(2);
            assertThat(subscribe.at("/subscribe/offset").asLong()).isZero();
            assertThat(subscribe.at("/subscribe/recoverable").asBoolean()).isTrue();
            String epoch = subscribe.at("/subscribe/epoch").asText();

            fixture.channels
                    .publish(new Publish("news", data("{\"text\":\"hi\"}"), Map.of(), false))
                    .toCompletableFuture()
                    .get();
            JsonNode push = read(client.expectText());
            assertThat(push.at("/push/channel").asText()).isEqualTo("news");
            assertThat(push.at("/push/pub/data/text").asText()).isEqualTo("hi");
            assertThat(push.at("/push/pub/offset").asLong()).isEqualTo(1);
            assertThat(push.at("/push/pub/epoch").asText()).isEqualTo(epoch);
        }
    }

    @Test
    void recoversWhatWasMissedAfterAReconnect() throws Exception {
        try (Fixture fixture = new Fixture()) {
            TestClient first = fixture.connected("bob");
            first.sendText("{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}");
            String epoch = read(first.expectText()).at("/subscribe/epoch").asText();
            publish(fixture, "news", 1);
            assertThat(read(first.expectText()).at("/push/pub/offset").asLong()).isEqualTo(1);
            first.sendText("{\"id\":3,\"unsubscribe\":{\"channel\":\"news\"}}");
            assertThat(read(first.expectText()).get("id").asInt()).isEqualTo(3);
            publish(fixture, "news", 2);
            publish(fixture, "news", 3);

            TestClient again = fixture.connected("bob");
            again.sendText("{\"id\":2,\"subscribe\":{\"channel\":\"news\",\"recover\":true,\"offset\":1,\"epoch\":"
                    + Json.write(epoch) + "}}");
            JsonNode result = read(again.expectText()).get("subscribe");
            assertThat(result.get("recovered").asBoolean()).isTrue();
            assertThat(result.get("was_recovering").asBoolean()).isTrue();
            assertThat(result.get("offset").asLong()).isEqualTo(3);
            assertThat(result.get("publications")).hasSize(2);
            assertThat(result.at("/publications/0/data/n").asInt()).isEqualTo(2);
            assertThat(result.at("/publications/1/offset").asLong()).isEqualTo(3);
        }
    }

    @Test
    void aClientPublishesAndTheHistoryKeepsIt() {
        try (Fixture fixture = new Fixture()) {
            TestClient client = fixture.connected("carol");
            client.sendText(
                    "{\"id\":2,\"subscribe\":{\"channel\":\"chat\"}}\n{\"id\":3,\"publish\":{\"channel\":\"chat\",\"data\":{\"n\":7}}}");
            String frame = client.expectText();
            assertThat(frame).contains("\"id\":2");
            JsonNode push = read(client.expectText());
            assertThat(push.at("/push/pub/info/user").asText()).isEqualTo("carol");
            assertThat(read(client.expectText()).get("id").asInt()).isEqualTo(3);
            client.sendText("{\"id\":4,\"history\":{\"channel\":\"chat\",\"limit\":10}}");
            JsonNode history = read(client.expectText()).get("history");
            assertThat(history.get("publications")).hasSize(1);
            assertThat(history.at("/publications/0/data/n").asInt()).isEqualTo(7);
            assertThat(history.get("offset").asLong()).isEqualTo(1);
        }
    }

    @Test
    void historyRemoveForgetsTheChannelsStreamSoAnOldPositionIsUnrecoverable() throws Exception {
        try (Fixture fixture = new Fixture()) {
            publish(fixture, "news", 1);
            publish(fixture, "news", 2);
            ChannelsApi.HistoryPage before = fixture.channels
                    .history("news", 10, null, false)
                    .toCompletableFuture()
                    .get();
            assertThat(before.publications()).hasSize(2);

            fixture.channels.historyRemove("news").toCompletableFuture().get();

            ChannelsApi.HistoryPage after = fixture.channels
                    .history("news", 10, null, false)
                    .toCompletableFuture()
                    .get();
            assertThat(after.publications()).isEmpty();
            assertThat(after.position().epoch()).isNotEqualTo(before.position().epoch());
            publish(fixture, "news", 3);
            assertThat(fixture.channels
                            .history("news", 10, null, false)
                            .toCompletableFuture()
                            .get()
                            .publications())
                    .singleElement()
                    .satisfies(publication -> assertThat(publication.offset()).isEqualTo(1));
        }
    }

    private static void publish(Fixture fixture, String channel, int n) throws Exception {
        fixture.channels
                .publish(new Publish(
                        channel, JsonNodeFactory.instance.objectNode().put("n", n), Map.of(), false))
                .toCompletableFuture()
                .get();
    }
}
