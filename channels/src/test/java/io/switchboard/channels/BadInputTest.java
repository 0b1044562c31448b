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
import io.switchboard.security.TokenVerifier;
import io.switchboard.testkit.ClientEvent;
import io.switchboard.testkit.TestClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each kind of bad input gets the protocol's error reply or close code, and nobody else notices. */
class BadInputTest {

    private static JsonNode read(String text) {
        return Json.read(text, JsonNode.class);
    }

    private static void assertClosed(TestClient client, DisconnectCode code) {
        ClientEvent.Closed closed = client.expectClosed();
        assertThat(closed.code()).isEqualTo(code.code());
        assertThat(closed.reason()).isEqualTo(code.reason());
    }

    private static void assertError(TestClient client, int id, ErrorCode code) {
        JsonNode reply = read(client.expectText());
        assertThat(reply.get("id").asInt()).as(reply.toString()).isEqualTo(id);
        assertThat(reply.at("/error/code").asInt()).as(reply.toString()).isEqualTo(code.code());
    }

    @Test
    void malformedFramesCloseWithBadRequestAndOthersCarryOn() throws Exception {
        try (Fixture fixture = new Fixture()) {
            TestClient bystander = fixture.connected("bystander");
            bystander.sendText("{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}");
            bystander.expectText();
            for (String bad : new String[] {
                "{not json",
                "[1,2]",
                "\"text\"",
                "{\"id\":-1,\"connect\":{}}",
                "{\"id\":1,\"connect\":[]}",
                "{\"id\":1,\"connect\":{},\"subscribe\":{}}",
                "{\"nothing\":1}"
            }) {
                TestClient client = fixture.sent(bad);
                assertClosed(client, DisconnectCode.BAD_REQUEST);
            }
            TestClient binary = fixture.server.connect(Channels.PATH);
            binary.sendBinary(new byte[] {1, 2, 3});
            assertClosed(binary, DisconnectCode.BAD_REQUEST);

            fixture.channels
                    .publish(new Publish("news", JsonNodeFactory.instance.numberNode(1), Map.of(), false))
                    .toCompletableFuture()
                    .get();
            assertThat(read(bystander.expectText()).at("/push/pub/data").asInt())
                    .isEqualTo(1);
        }
    }

    @Test
    void commandsBeforeConnectAndASecondConnectCloseWithBadRequest() {
        try (Fixture fixture = new Fixture()) {
            assertClosed(fixture.sent("{\"id\":1,\"subscribe\":{\"channel\":\"news\"}}"), DisconnectCode.BAD_REQUEST);
            TestClient twice = fixture.connected("alice");
            twice.sendText(Fixture.connect(fixture.token("alice")));
            assertClosed(twice, DisconnectCode.BAD_REQUEST);
        }
    }

    @Test
    void tokensForgedExpiredOrUncheckable() {
        try (Fixture fixture = new Fixture()) {
            String forged = fixture.token("mallory").replaceFirst("\\.[^.]+$", ".c2lnbmF0dXJl");
            assertClosed(fixture.sent(Fixture.connect(forged)), DisconnectCode.INVALID_TOKEN);
            assertClosed(fixture.sent(Fixture.connect("garbage")), DisconnectCode.INVALID_TOKEN);
            TestClient expired = fixture.sent(Fixture.connect(fixture.token("late", -10, Map.of())));
            assertError(expired, 1, ErrorCode.TOKEN_EXPIRED);
            TestClient anonymous = fixture.sent("{\"id\":1,\"connect\":{}}");
            assertError(anonymous, 1, ErrorCode.UNAUTHORIZED);
        }
        TokenVerifier down = token -> {
            throw new TokenVerifier.Rejected(TokenVerifier.Problem.UNAVAILABLE, "the key set is unreachable");
        };
        try (Fixture fixture = new Fixture(Channels.builder(), down)) {
            JsonNode reply = read(fixture.sent(Fixture.connect("any")).expectText());
            assertThat(reply.at("/error/code").asInt()).isEqualTo(ErrorCode.INTERNAL.code());
            assertThat(reply.at("/error/temporary").asBoolean()).isTrue();
        }
    }

    @Test
    void refusedCommandsGetTheirErrorAndTheConnectionStays() {
        try (Fixture fixture = new Fixture(Channels.builder().maxSubscriptions(2))) {
            TestClient client = fixture.connected("bob");
            client.sendText("{\"id\":2,\"frobnicate\":{}}");
            assertError(client, 2, ErrorCode.METHOD_NOT_FOUND);
            client.sendText(
                    "{\"id\":3,\"subscribe\":{\"channel\":\"" + "x".repeat(ChannelNames.MAX_LENGTH + 1) + "\"}}");
            assertError(client, 3, ErrorCode.BAD_REQUEST);
            client.sendText("{\"id\":4,\"subscribe\":{\"channel\":\"caf\u00e9\"}}");
            assertError(client, 4, ErrorCode.BAD_REQUEST);
            client.sendText("{\"id\":5,\"subscribe\":{\"channel\":\"nowhere:x\"}}");
            assertError(client, 5, ErrorCode.UNKNOWN_CHANNEL);
            client.sendText("{\"id\":6,\"subscribe\":{\"channel\":\"private:x\"}}");
            assertError(client, 6, ErrorCode.PERMISSION_DENIED);
            client.sendText("{\"id\":7,\"publish\":{\"channel\":\"feed:x\",\"data\":{}}}");
            assertError(client, 7, ErrorCode.PERMISSION_DENIED);
            client.sendText(
                    "{\"id\":8,\"subscribe\":{\"channel\":\"a\"}}\n{\"id\":9,\"subscribe\":{\"channel\":\"b\"}}");
            assertThat(client.expectText()).contains("\"id\":8");
            assertThat(client.expectText()).contains("\"id\":9");
            client.sendText(
                    "{\"id\":10,\"subscribe\":{\"channel\":\"a\"}}\n{\"id\":11,\"subscribe\":{\"channel\":\"c\"}}");
            String both = client.expectText();
            assertThat(both.lines().map(BadInputTest::read).map(reply -> reply.at("/error/code")
                            .asInt()))
                    .containsExactly(ErrorCode.ALREADY_SUBSCRIBED.code(), ErrorCode.LIMIT_EXCEEDED.code());
            client.sendText("{\"id\":12,\"rpc\":{\"method\":\"anything\"}}");
            assertError(client, 12, ErrorCode.METHOD_NOT_FOUND);
            client.sendText("{\"id\":13,\"history\":{\"channel\":\"elsewhere\"}}");
            assertError(client, 13, ErrorCode.PERMISSION_DENIED);
        }
    }

    @Test
    void namespacesWithoutHistoryOrPresenceSayNotAvailable() {
        try (Fixture fixture = new Fixture()) {
            TestClient client = fixture.connected("carol");
            client.sendText("{\"id\":2,\"subscribe\":{\"channel\":\"plain:x\"}}");
            assertThat(read(client.expectText()).get("subscribe").has("offset")).isFalse();
            client.sendText(
                    "{\"id\":3,\"history\":{\"channel\":\"plain:x\"}}\n{\"id\":4,\"presence\":{\"channel\":\"plain:x\"}}");
            String both = client.expectText();
            assertThat(both.lines().map(BadInputTest::read).map(reply -> reply.at("/error/code")
                            .asInt()))
                    .containsExactly(ErrorCode.NOT_AVAILABLE.code(), ErrorCode.NOT_AVAILABLE.code());
        }
    }

    @Test
    void aConnectionThatNeverConnectsIsClosedAsStale() {
        try (Fixture fixture = new Fixture(Channels.builder().connectTimeout(java.time.Duration.ofMillis(100)))) {
            TestClient silent = fixture.server.connect(Channels.PATH);
            assertClosed(silent, DisconnectCode.STALE);
            TestClient prompt = fixture.connected("kim");
            prompt.expectNothing(java.time.Duration.ofMillis(300));
        }
    }

    @Test
    void hooksThatFailAnswerAnInternalErrorOrNothingForASend() {
        ClientHooks failing = new ClientHooks() {
            @Override
            public JsonNode rpc(Caller caller, String method, JsonNode data) {
                throw new IllegalStateException("the hook broke");
            }

            @Override
            public void send(Caller caller, JsonNode data) {
                throw new IllegalStateException("the hook broke");
            }
        };
        try (Fixture fixture = new Fixture(Channels.builder().hooks(failing))) {
            TestClient client = fixture.connected("lou");
            client.sendText("{\"send\":{\"data\":1}}\n{\"id\":2,\"rpc\":{\"method\":\"x\"}}");
            JsonNode reply = read(client.expectText());
            assertThat(reply.get("id").asInt()).isEqualTo(2);
            assertThat(reply.at("/error/code").asInt()).isEqualTo(ErrorCode.INTERNAL.code());
            assertThat(reply.at("/error/temporary").asBoolean()).isTrue();
        }
    }

    @Test
    void closingTheChannelsClosesItsConnectionsWithShutdownSoClientsComeBack() {
        try (Fixture fixture = new Fixture()) {
            TestClient client = fixture.connected("mo");
            fixture.channels.close();
            assertClosed(client, DisconnectCode.SHUTDOWN);
            assertThat(DisconnectCode.SHUTDOWN.reconnect()).isTrue();
        }
    }
}
