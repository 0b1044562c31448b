/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static io.switchboard.server.ChatClient.ids;
import static io.switchboard.server.ChatClient.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.redis.RedisSettings;
import io.switchboard.server.chat.ChatSettings;
import io.switchboard.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Three chat nodes on one Redis behave as one server: rooms, direct messages, presence, queues, history. */
class ClusterTest {

    private static final AtomicInteger CLUSTERS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The Redis the nodes share: a standalone one, unless a subclass brings another (see {@link #use}). */
    private static AutoCloseable redis;

    private static String redisUri;

    private final List<ClusterNode> nodes = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws Exception {
        RedisServer server = RedisServer.start();
        use(server, server.uri());
    }

    /**
     * Runs the class's tests on {@code next} at {@code uri}, stopping the one before: JUnit runs this
     * class's {@code startRedis} before a subclass's own, although the subclass's hides it.
     */
    static void use(AutoCloseable next, String uri) throws Exception {
        stopRedis();
        redis = next;
        redisUri = uri;
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }

    @AfterEach
    void stopNodes() {
        try {
            nodes.forEach(ClusterNode::assertNoUnreadEvents);
        } finally {
            nodes.forEach(ClusterNode::close);
        }
    }

    /** {@code count} nodes of a new cluster (its own prefix). */
    private List<ClusterNode> cluster(int count, ChatSettings chat) {
        RedisSettings settings = RedisSettings.of(redisUri)
                .withPrefix("cluster" + CLUSTERS.incrementAndGet() + ":")
                .withCommandTimeout(Duration.ofSeconds(5)); // a busy machine is not a hung Redis
        for (int i = 0; i < count; i++) {
            nodes.add(ClusterNode.start(settings, chat));
        }
        return List.copyOf(nodes);
    }

    @Test
    void roomMessagesCrossNodesWithOneSequenceOfIds() {
        List<ClusterNode> cluster = cluster(2, ChatSettings.defaults());
        ChatClient ann = cluster.get(0).join("lobby", "ann");
        ann.welcome();
        ChatClient bob = cluster.get(1).join("lobby", "bob");
        assertThat(texts(bob.welcome().get("members"))).containsExactly("ann", "bob");
        assertThat(ann.next("join").get("user").asText()).isEqualTo("bob");

        ann.say("from a");
        for (ChatClient client : List.of(ann, bob)) {
            JsonNode message = client.next("message");
            assertThat(message.get("id").asLong()).isEqualTo(1);
            assertThat(message.get("from").asText()).isEqualTo("ann");
        }
        bob.say("from b");
        for (ChatClient client : List.of(ann, bob)) {
            JsonNode message = client.next("message");
            assertThat(message.get("id").asLong()).isEqualTo(2);
            assertThat(message.get("message").asText()).isEqualTo("from b");
        }
    }

    @Test
    void messagesFromOneConnectionArriveInOrderOnEveryNode() {
        List<ClusterNode> cluster = cluster(2, ChatSettings.defaults());
        ChatClient ann = cluster.get(0).join("lobby", "ann");
        ann.welcome();
        ChatClient bob = cluster.get(1).join("lobby", "bob");
        bob.welcome();
        ann.next("join");
        for (int i = 0; i < 50; i++) {
            ann.say("m" + i);
        }
        for (ChatClient client : List.of(ann, bob)) {
            for (int i = 0; i < 50; i++) {
                JsonNode message = client.next("message");
                assertThat(message.get("message").asText()).isEqualTo("m" + i);
                assertThat(message.get("id").asLong()).isEqualTo(i + 1);
            }
        }
    }

    @Test
    void everyClientGetsEveryRoomMessageOnceAndInIdOrderWhicheverNodeSentIt() {
        List<ClusterNode> cluster = cluster(2, ChatSettings.defaults());
        List<ChatClient> senders = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ChatClient sender = cluster.get(i % 2).join("busy", "u" + i);
            sender.welcome();
            senders.add(sender);
        }
        try (NodeChatAgent js0 = NodeChatAgent.join(cluster.get(0).origin(), "busy", "js0");
                NodeChatAgent js1 = NodeChatAgent.join(cluster.get(1).origin(), "busy", "js1")) {
            for (NodeChatAgent js : List.of(js0, js1)) {
                js.next("open", WAIT);
                js.next("welcome", WAIT);
            }
            int each = 40;
            for (int i = 0; i < each; i++) {
                for (ChatClient sender : senders) {
                    sender.say(sender.user + " " + i);
                }
            }
            int total = each * senders.size();
            for (ChatClient sender : senders) {
                assertEveryMessageOnceInIdOrder(sender.user, roomMessages(sender, total), total);
            }
            for (NodeChatAgent js : List.of(js0, js1)) {
                List<JsonNode> got = new ArrayList<>();
                for (int i = 0; i < total; i++) {
                    got.add(js.next("message", WAIT));
                }
                assertEveryMessageOnceInIdOrder("switchboard.js", got, total);
                js.expectNothing(Duration.ofMillis(200));
            }
        }
        for (ChatClient sender : senders) {
            List<String> left = List.of(
                    sender.next("leave").get("user").asText(),
                    sender.next("leave").get("user").asText());
            assertThat(left).containsExactlyInAnyOrder("js0", "js1");
        }
    }

    /** The next {@code count} room messages {@code client} gets, passing over joins. */
    private static List<JsonNode> roomMessages(ChatClient client, int count) {
        List<JsonNode> got = new ArrayList<>();
        while (got.size() < count) {
            JsonNode next = client.next(WAIT);
            if (!next.path("type").asText().equals("join")) {
                got.add(next);
            }
        }
        return got;
    }

    private static void assertEveryMessageOnceInIdOrder(String who, List<JsonNode> got, int total) {
        List<Long> expectedIds = LongStream.rangeClosed(1, total).boxed().toList();
        assertThat(ids(got)).as(who + "'s ids").isEqualTo(expectedIds);
        assertThat(got.stream().map(m -> m.get("message").asText()).distinct().count())
                .as(who + "'s distinct messages")
                .isEqualTo(total);
    }

    @Test
    void directMessagesReachEveryConnectionOfTheUserOnEveryNode() {
        List<ClusterNode> cluster = cluster(3, ChatSettings.defaults());
        ChatClient ann = cluster.get(0).join("a-room", "ann");
        ann.welcome();
        ChatClient bobPhone = cluster.get(1).join("b-room", "bob");
        bobPhone.welcome();
        ChatClient bobLaptop = cluster.get(2).join("c-room", "bob");
        bobLaptop.welcome();

        ann.tell("bob", "psst");
        for (ChatClient client : List.of(bobPhone, bobLaptop, ann)) {
            JsonNode direct = client.next("direct");
            assertThat(direct.get("from").asText()).isEqualTo("ann");
            assertThat(direct.get("to").asText()).isEqualTo("bob");
            assertThat(direct.get("message").asText()).isEqualTo("psst");
        }
    }

    @Test
    void presenceCountsTheSameUserOnTwoNodesOnce() {
        List<ClusterNode> cluster = cluster(2, ChatSettings.defaults());
        ChatClient watcher = cluster.get(0).join("lobby", "wes");
        watcher.welcome();
        ChatClient annOnA = cluster.get(0).join("lobby", "ann");
        annOnA.welcome();
        assertThat(watcher.next("join").get("user").asText()).isEqualTo("ann");
        ChatClient annOnB = cluster.get(1).join("lobby", "ann");
        assertThat(texts(annOnB.welcome().get("members"))).containsExactly("ann", "wes");

        annOnA.socket.close();
        annOnA.socket.expectClosed();
        annOnB.say("still here");
        assertThat(watcher.next("message").get("message").asText()).isEqualTo("still here");
        annOnB.next("message");

        annOnB.socket.close();
        annOnB.socket.expectClosed();
        JsonNode leave = watcher.next("leave");
        assertThat(leave.get("user").asText()).isEqualTo("ann");
        ChatClient late = cluster.get(1).join("lobby", "lou");
        assertThat(texts(late.welcome().get("members"))).containsExactly("lou", "wes");
        watcher.next("join");
    }

    @Test
    void directMessagesKeptWhileAwayAreDeliveredOnAnotherNode() {
        List<ClusterNode> cluster = cluster(2, ChatSettings.defaults());
        ChatClient ann = cluster.get(0).join("lobby", "ann");
        ann.welcome();
        ann.tell("cat", "first");
        ann.next("direct");
        ann.next("queued");
        ann.tell("cat", "second");
        ann.next("direct");
        ann.next("queued");

        ChatClient cat = cluster.get(1).join("elsewhere", "cat");
        cat.welcome();
        assertThat(cat.next("direct").get("message").asText()).isEqualTo("first");
        assertThat(cat.next("direct").get("message").asText()).isEqualTo("second");
        ChatClient later = cluster.get(0).join("elsewhere", "cat");
        assertThat(later.welcome().get("members").size()).isEqualTo(1);
        later.expectNothing();
    }

    @Test
    void historyAndSinceSpanTheNodes() {
        List<ClusterNode> cluster = cluster(3, new ChatSettings(4, 100, 4096));
        ChatClient ann = cluster.get(0).join("lobby", "ann");
        ann.welcome();
        ChatClient bob = cluster.get(1).join("lobby", "bob");
        bob.welcome();
        ann.next("join");
        for (int i = 1; i <= 6; i++) {
            ChatClient sender = i % 2 == 1 ? ann : bob;
            sender.say("m" + i);
            ann.next("message");
            bob.next("message");
        }

        ChatClient cid = cluster.get(2).join("lobby", "cid");
        JsonNode welcome = cid.welcome();
        assertThat(ids(welcome.get("history"))).containsExactly(3L, 4L, 5L, 6L);
        assertThat(texts(welcome.get("history"))).containsExactly("m3", "m4", "m5", "m6");

        ChatClient dee = cluster.get(0).join("lobby", "dee", 4);
        JsonNode recovered = dee.welcome();
        assertThat(ids(recovered.get("history"))).containsExactly(5L, 6L);
        assertThat(recovered.get("recovered").asBoolean()).isTrue();
        ChatClient eve = cluster.get(1).join("lobby", "eve", 1);
        JsonNode tooOld = eve.welcome();
        assertThat(ids(tooOld.get("history"))).containsExactly(3L, 4L, 5L, 6L);
        assertThat(tooOld.get("recovered").asBoolean()).isFalse();
        assertThat(tooOld.get("epoch").asText())
                .isEqualTo(recovered.get("epoch").asText());

        for (ChatClient client : List.of(ann, bob)) {
            assertThat(texts(joins(client, 3))).containsExactly("cid", "dee", "eve");
        }
        assertThat(texts(joins(cid, 2))).containsExactly("dee", "eve");
        assertThat(texts(joins(dee, 1))).containsExactly("eve");
    }

    /** The users of the next {@code count} join messages, as a JSON array. */
    private static JsonNode joins(ChatClient client, int count) {
        var users = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < count; i++) {
            users.add(client.next("join").get("user").asText());
        }
        return users;
    }
}
