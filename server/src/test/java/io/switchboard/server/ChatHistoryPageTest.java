/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static io.switchboard.server.ChatClient.ids;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.engine.InMemoryHistory;
import io.switchboard.redis.RedisSettings;
import io.switchboard.server.chat.ChatSettings;
import io.switchboard.testkit.RedisServer;
import io.switchboard.testkit.TestServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * History pages over real sockets: each page moves a client on, however long one message is; a
 * position of another epoch is answered from the start; an unreachable history is an error, never
 * a page that looks like the end.
 */
class ChatHistoryPageTest {

    /** Longer than the welcome budget of 1,000 bytes that these tests set. */
    private static final String LONG = "x".repeat(1200);

    @Test
    void aMessageLargerThanThePageBudgetStillMovesThePagingOn() {
        try (Node node = Node.inMemory(ChatSettings.defaults().withWelcomeBytes(1000))) {
            ChatClient ann = node.join("lobby", "ann");
            ann.welcome();
            for (int i = 0; i < 3; i++) {
                ann.say(LONG);
                ann.next("message");
            }
            ChatClient bob = node.join("lobby", "bob");
            JsonNode welcome = bob.welcome();
            assertThat(ids(welcome.get("history"))).containsExactly(3L); // one, though over the budget
            assertThat(welcome.get("more").asBoolean()).isTrue();
            List<Long> paged = new ArrayList<>();
            long since = 0;
            for (int page = 0; page < 5 && since < 2; page++) {
                bob.socket.sendJson(Map.of("type", "history", "since", since));
                JsonNode answer = bob.next("history");
                List<Long> got = ids(answer.get("messages"));
                assertThat(got).as("page after " + since).hasSize(1);
                paged.addAll(got);
                since = got.get(0);
            }
            assertThat(paged).containsExactly(1L, 2L);
            ann.next("join");
        }
    }

    /** switchboard.js pages what its welcome left out: every kept message, once, the older marked. */
    @Test
    void switchboardJsPagesWhatTheWelcomeLeftOut() {
        try (Node node = Node.inMemory(ChatSettings.defaults().withWelcomeBytes(1000))) {
            ChatClient ann = node.join("lobby", "ann");
            ann.welcome();
            for (int i = 1; i <= 10; i++) {
                ann.say(i + "x".repeat(300));
                ann.next("message");
            }
            try (NodeChatAgent js = NodeChatAgent.join(node.origin(), "lobby", "js")) {
                js.next("open", Duration.ofSeconds(10));
                js.next("welcome", Duration.ofSeconds(10));
                List<Long> delivered = new ArrayList<>();
                List<Long> paged = new ArrayList<>();
                while (delivered.size() < 10) {
                    JsonNode message = js.next("message", Duration.ofSeconds(10));
                    delivered.add(message.get("id").asLong());
                    if (message.path("history").asBoolean()) {
                        paged.add(message.get("id").asLong());
                    }
                }
                assertThat(delivered).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
                assertThat(paged)
                        .as("the welcome's left-outs, paged")
                        .isNotEmpty()
                        .isSorted();
                assertThat(delivered.subList(0, 10 - paged.size()))
                        .as("the welcome's")
                        .isSorted()
                        .endsWith(10L);
                js.expectNothing(Duration.ofMillis(300));
            }
            ann.next("join");
            ann.next("leave"); // the agent closed
        }
    }

    @Test
    void aPositionOfAnotherEpochIsAnsweredFromTheStartNotComplete() {
        try (Node node = Node.inMemory(ChatSettings.defaults())) {
            ChatClient ann = node.join("lobby", "ann");
            String epoch = ann.welcome().get("epoch").asText();
            for (int i = 0; i < 3; i++) {
                ann.say("m" + i);
                ann.next("message");
            }
            ann.socket.sendJson(Map.of("type", "history", "since", 2, "epoch", "not-" + epoch));
            JsonNode other = ann.next("history");
            assertThat(ids(other.get("messages"))).containsExactly(1L, 2L, 3L);
            assertThat(other.get("complete").asBoolean()).isFalse();
            assertThat(other.get("epoch").asText()).isEqualTo(epoch);

            ann.socket.sendJson(Map.of("type", "history", "since", 2, "epoch", epoch));
            JsonNode same = ann.next("history");
            assertThat(ids(same.get("messages"))).containsExactly(3L);
            assertThat(same.get("complete").asBoolean()).isTrue();
            assertThat(same.get("more").asBoolean()).isFalse();
        }
    }

    @Test
    void anUnreachableHistoryAnswersUnavailableNotAnEmptyPage() {
        try (RedisServer redis = RedisServer.start()) {
            RedisSettings settings = RedisSettings.of(redis.uri())
                    .withPrefix("page:")
                    .withCommandTimeout(Duration.ofSeconds(1))
                    .withHeartbeat(Duration.ofMillis(200), Duration.ofSeconds(2));
            try (ClusterNode node = ClusterNode.start(settings, ChatSettings.defaults())) {
                ChatClient ann = node.join("lobby", "ann");
                ann.welcome();
                ann.say("kept");
                ann.next("message");
                redis.stop();
                ann.socket.sendJson(Map.of("type", "history", "since", 0));
                JsonNode answer = ann.next(Duration.ofSeconds(10));
                assertThat(answer.path("type").asText()).as(answer.toString()).isEqualTo("error");
                assertThat(answer.path("code").asText()).isEqualTo("unavailable");
                assertThat(answer.path("request").asText()).isEqualTo("history");
            }
        }
    }

    /** One node with an in-memory history. */
    private record Node(TestServer server, Application app) implements AutoCloseable {
        static Node inMemory(ChatSettings settings) {
            Application app = new Application(settings, new InMemoryHistory(), Clock.systemUTC());
            TestServer server = TestServer.start(b -> b.router(app.router()).authenticator(app.authenticator()));
            app.start(server.server());
            return new Node(server, app);
        }

        ChatClient join(String room, String user) {
            return new ChatClient(server.connect("/ws/chat/" + room + "?user=" + user), user);
        }

        String origin() {
            java.net.URI ws = server.ws("/");
            return "ws://" + ws.getHost() + ":" + ws.getPort();
        }

        @Override
        public void close() {
            server.close();
            app.close();
        }
    }
}
