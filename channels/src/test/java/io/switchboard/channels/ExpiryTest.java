/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.json.Json;
import io.switchboard.testkit.ClientEvent;
import io.switchboard.testkit.TestClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tokens that run out: a connection or a subscription not refreshed in time ends; a refreshed one stays. */
class ExpiryTest {

    private static JsonNode read(String text) {
        return Json.read(text, JsonNode.class);
    }

    @Test
    void aConnectionWhoseTokenExpiresWithoutRefreshIsDisconnected() {
        try (Fixture fixture = new Fixture(Channels.builder().expiryGrace(Duration.ZERO))) {
            TestClient client = fixture.sent(Fixture.connect(fixture.token("dora", 2, Map.of())));
            JsonNode connect = read(client.expectText()).get("connect");
            assertThat(connect.get("expires").asBoolean()).isTrue();
            assertThat(connect.get("ttl").asInt()).isBetween(1, 2);
            ClientEvent.Closed closed = client.expectClosed();
            assertThat(closed.code()).isEqualTo(DisconnectCode.EXPIRED.code());
            assertThat(closed.reason()).isEqualTo("connection expired");
        }
    }

    @Test
    void aRefreshedConnectionStays() {
        try (Fixture fixture = new Fixture(Channels.builder().expiryGrace(Duration.ZERO))) {
            TestClient client = fixture.sent(Fixture.connect(fixture.token("eve", 2, Map.of())));
            client.expectText();
            client.sendText(
                    "{\"id\":2,\"refresh\":{\"token\":" + Json.write(fixture.token("eve", 3600, Map.of())) + "}}");
            JsonNode refresh = read(client.expectText()).get("refresh");
            assertThat(refresh.get("ttl").asInt()).isGreaterThan(3000);
            client.expectNothing(Duration.ofMillis(2500));
            client.sendText("{\"id\":3,\"refresh\":{\"token\":" + Json.write(fixture.token("mallory")) + "}}");
            assertThat(client.expectClosed().code()).isEqualTo(DisconnectCode.INVALID_TOKEN.code());
        }
    }

    @Test
    void anExpiredRefreshTokenDisconnectsSoTheClientReconnectsWithAFreshOne() {
        try (Fixture fixture = new Fixture()) {
            TestClient client = fixture.connected("gus");
            client.sendText(
                    "{\"id\":2,\"refresh\":{\"token\":" + Json.write(fixture.token("gus", -60, Map.of())) + "}}");
            assertThat(client.expectClosed().code()).isEqualTo(DisconnectCode.EXPIRED.code());
        }
    }

    @Test
    void anExpiredSubscriptionRefreshTokenUnsubscribesSoTheClientResubscribes() {
        try (Fixture fixture = new Fixture()) {
            TestClient client = fixture.connected("hal");
            String token = fixture.token("hal", 3600, Map.of("channel", "private:hall"));
            client.sendText(
                    "{\"id\":2,\"subscribe\":{\"channel\":\"private:hall\",\"token\":" + Json.write(token) + "}}");
            assertThat(read(client.expectText()).get("id").asInt()).isEqualTo(2);
            String expired = fixture.token("hal", -60, Map.of("channel", "private:hall"));
            client.sendText(
                    "{\"id\":3,\"sub_refresh\":{\"channel\":\"private:hall\",\"token\":" + Json.write(expired) + "}}");
            JsonNode push = read(client.expectText()).get("push");
            assertThat(push.at("/unsubscribe/code").asInt()).isEqualTo(Subscriber.UNSUBSCRIBE_EXPIRED);
            assertThat(read(client.expectText()).get("id").asInt()).isEqualTo(3);
        }
    }

    @Test
    void aSubscriptionWhoseTokenExpiresIsUnsubscribedToComeBack() {
        try (Fixture fixture = new Fixture(Channels.builder().expiryGrace(Duration.ZERO))) {
            TestClient client = fixture.connected("fay");
            String token = fixture.token("fay", 2, Map.of("channel", "private:room", "info", Map.of("seat", 3)));
            client.sendText(
                    "{\"id\":2,\"subscribe\":{\"channel\":\"private:room\",\"token\":" + Json.write(token) + "}}");
            JsonNode subscribe = read(client.expectText()).get("subscribe");
            assertThat(subscribe.get("expires").asBoolean()).isTrue();
            JsonNode push = read(client.expectText()).get("push");
            assertThat(push.get("channel").asText()).isEqualTo("private:room");
            assertThat(push.at("/unsubscribe/code").asInt()).isEqualTo(Subscriber.UNSUBSCRIBE_EXPIRED);
            client.sendText("{\"id\":3,\"history\":{\"channel\":\"private:room\"}}");
            assertThat(read(client.expectText()).at("/error/code").asInt())
                    .isEqualTo(ErrorCode.PERMISSION_DENIED.code());
        }
    }

    @Test
    void aSubscriptionTokenForAnotherUserOrChannelIsRefused() {
        try (Fixture fixture = new Fixture()) {
            TestClient client = fixture.connected("gus");
            String other = fixture.token("someone", 60, Map.of("channel", "private:room"));
            client.sendText(
                    "{\"id\":2,\"subscribe\":{\"channel\":\"private:room\",\"token\":" + Json.write(other) + "}}");
            assertThat(read(client.expectText()).at("/error/code").asInt())
                    .isEqualTo(ErrorCode.PERMISSION_DENIED.code());
            String elsewhere = fixture.token("gus", 60, Map.of("channel", "private:other"));
            client.sendText(
                    "{\"id\":3,\"subscribe\":{\"channel\":\"private:room\",\"token\":" + Json.write(elsewhere) + "}}");
            assertThat(read(client.expectText()).at("/error/code").asInt())
                    .isEqualTo(ErrorCode.PERMISSION_DENIED.code());
            String expired = fixture.token("gus", -5, Map.of("channel", "private:room"));
            client.sendText(
                    "{\"id\":4,\"subscribe\":{\"channel\":\"private:room\",\"token\":" + Json.write(expired) + "}}");
            assertThat(read(client.expectText()).at("/error/code").asInt()).isEqualTo(ErrorCode.TOKEN_EXPIRED.code());
        }
    }
}
