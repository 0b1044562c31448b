/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.switchboard.channels.ChannelsApi.Publish;
import io.switchboard.json.Json;
import io.switchboard.testkit.TestClient;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The Java API: subscribe, unsubscribe and disconnect a user's connections; read presence, history, info. */
class ServerCommandsTest {

    private static JsonNode read(String text) {
        return Json.read(text, JsonNode.class);
    }

    /** The next frame that is not a join or leave push (their order among clients is not fixed). */
    private static JsonNode nextButJoinOrLeave(TestClient client) {
        while (true) {
            JsonNode frame = read(client.expectText());
            if (!frame.at("/push/join").isObject() && !frame.at("/push/leave").isObject()) {
                return frame;
            }
        }
    }

    private static <T> T get(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get();
    }

    @Test
    void subscribesAndUnsubscribesEveryConnectionOfAUser() throws Exception {
        try (Fixture fixture = new Fixture()) {
            TestClient first = fixture.connected("hal");
            TestClient second = fixture.connected("hal");
            get(fixture.channels.subscribe("hal", "news", null));
            for (TestClient client : new TestClient[] {first, second}) {
                JsonNode push = nextButJoinOrLeave(client).get("push");
                assertThat(push.get("channel").asText()).isEqualTo("news");
                assertThat(push.at("/subscribe/positioned").asBoolean()).isTrue();
            }
            assertThat(get(fixture.channels.presenceStats("news"))).isEqualTo(new ChannelsApi.PresenceStats(2, 1));
            assertThat(get(fixture.channels.presence("news")).values())
                    .allSatisfy(info -> assertThat(info.user()).isEqualTo("hal"));
            get(fixture.channels.unsubscribe("hal", "news", null));
            for (TestClient client : new TestClient[] {first, second}) {
                assertThat(nextButJoinOrLeave(client)
                                .at("/push/unsubscribe/code")
                                .asInt())
                        .isEqualTo(Subscriber.UNSUBSCRIBE_SERVER);
            }
        }
    }

    @Test
    void disconnectsOneClientWithTheGivenCode() throws Exception {
        try (Fixture fixture = new Fixture()) {
            TestClient first = fixture.connected("ida");
            TestClient second = fixture.connected("ida");
            second.sendText("{\"id\":2,\"subscribe\":{\"channel\":\"c\"}}");
            second.expectText();
            String secondId =
                    get(fixture.channels.presence("c")).keySet().iterator().next();
            get(fixture.channels.disconnect("ida", secondId, new ChannelsApi.Disconnect(3503, "force disconnect")));
            assertThat(second.expectClosed().code()).isEqualTo(3503);
            first.sendText("{\"id\":3,\"subscribe\":{\"channel\":\"d\"}}");
            assertThat(read(first.expectText()).get("id").asInt()).isEqualTo(3);
        }
    }

    @Test
    void aDisconnectReasonLongerThanACloseFrameHoldsIsABadRequestAndDisconnectsNobody() throws Exception {
        try (Fixture fixture = new Fixture()) {
            TestClient client = fixture.connected("jo");
            assertThatThrownBy(() -> get(
                            fixture.channels.disconnect("jo", null, new ChannelsApi.Disconnect(3503, "x".repeat(124)))))
                    .hasRootCauseInstanceOf(ChannelsException.class)
                    .rootCause()
                    .satisfies(e -> assertThat(((ChannelsException) e).code()).isEqualTo(ErrorCode.BAD_REQUEST));
            client.sendText("{\"id\":2,\"subscribe\":{\"channel\":\"c\"}}");
            assertThat(read(client.expectText()).get("id").asInt()).isEqualTo(2);
        }
    }

    @Test
    void aUserNamedLikeAnotherUsersHashedGroupDoesNotShareIt() {
        String hashed = ChannelNames.userGroup("José");
        String impostor = hashed.substring(hashed.indexOf('#'));
        assertThat(ChannelNames.userGroup(impostor)).isNotEqualTo(hashed);
        assertThat(ChannelNames.userGroup("ann")).isNotEqualTo(ChannelNames.userGroup("#ann"));
    }

    @Test
    void historyChannelsAndInfoThroughTheApi() throws Exception {
        try (Fixture fixture = new Fixture()) {
            TestClient client = fixture.connected("jo");
            client.sendText("{\"id\":2,\"subscribe\":{\"channel\":\"ticker\"}}");
            client.expectText();
            for (int n = 1; n <= 3; n++) {
                get(fixture.channels.publish(
                        new Publish("ticker", JsonNodeFactory.instance.numberNode(n), Map.of("kind", "tick"), false)));
                assertThat(read(client.expectText()).at("/push/pub/tags/kind").asText())
                        .isEqualTo("tick");
            }
            ChannelsApi.HistoryPage page = get(fixture.channels.history("ticker", 2, null, false));
            assertThat(page.publications())
                    .extracting(ChannelsApi.Publication::offset)
                    .containsExactly(1L, 2L);
            ChannelsApi.HistoryPage newest = get(fixture.channels.history("ticker", 2, null, true));
            assertThat(newest.publications())
                    .extracting(ChannelsApi.Publication::offset)
                    .containsExactly(3L, 2L);
            assertThat(page.publications().getFirst().tags()).isEqualTo(Map.of("kind", "tick"));
            assertThat(page.position().offset()).isEqualTo(3);
            ChannelsApi.HistoryPage after = get(fixture.channels.history(
                    "ticker",
                    10,
                    new ChannelsApi.StreamPosition(1, page.position().epoch()),
                    false));
            assertThat(after.publications())
                    .extracting(ChannelsApi.Publication::offset)
                    .containsExactly(2L, 3L);
            ExecutionException other = org.junit.jupiter.api.Assertions.assertThrows(
                    ExecutionException.class,
                    () -> get(fixture.channels.history(
                            "ticker", 10, new ChannelsApi.StreamPosition(1, "another"), false)));
            assertThat(((ChannelsException) other.getCause()).code()).isEqualTo(ErrorCode.UNRECOVERABLE_POSITION);
            assertThat(get(fixture.channels.channels("tick*"))).isEqualTo(Map.of("ticker", 1));
            ChannelsApi.NodeInfo node = get(fixture.channels.info()).getFirst();
            assertThat(node.numClients()).isEqualTo(1);
            assertThat(node.numSubs()).isEqualTo(1);
            ExecutionException unknown = org.junit.jupiter.api.Assertions.assertThrows(
                    ExecutionException.class,
                    () -> get(fixture.channels.publish(
                            new Publish("nowhere:x", JsonNodeFactory.instance.nullNode(), Map.of(), false))));
            assertThat(((ChannelsException) unknown.getCause()).code()).isEqualTo(ErrorCode.UNKNOWN_CHANNEL);
        }
    }
}
