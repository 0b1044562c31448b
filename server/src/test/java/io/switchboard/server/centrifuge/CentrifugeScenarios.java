/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.centrifuge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.ServedNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What an application does with the real centrifuge client, each test one scenario: connect with a
 * token, subscribe, publications in order, presence, history, recovery after a dropped connection
 * and after a restart, a private channel, a refused subscription, and the server API called with
 * {@code curl}. Subclasses choose the client's runtime (Node, Chromium) and the {@link Nodes}
 * (one, or two on Redis: publishers on node A, subscribers on node B).
 */
abstract class CentrifugeScenarios {

    /** The namespace whose channels need a subscription token (see {@link TestNamespaces}). */
    static final String PRIVATE = TestNamespaces.PRIVATE;

    private static final AtomicInteger CHANNELS = new AtomicInteger();

    private final List<Agent> clients = new ArrayList<>();

    /** The servers of this class's tests. */
    abstract Nodes nodes();

    /** A new client runtime for the client {@code name}. */
    abstract AgentLink link(String name);

    @AfterEach
    void closeClients() {
        clients.forEach(Agent::close);
    }

    /** A client of {@code user}, connected to {@code node} with a connection token. */
    Agent client(String user, ServedNode node) {
        Agent client = new Agent(user + ", who connected to " + nodes().label(node), link(user));
        clients.add(client);
        return client.connect(node.ws(Nodes.CONNECTION), user);
    }

    /** A channel no other test uses. */
    static String channel(String name) {
        return name + "-" + CHANNELS.incrementAndGet();
    }

    @Test
    void publicationsFromNodeAArriveOnNodeBInOrder() {
        String channel = channel("order");
        Agent bob = client("bob", nodes().b());
        bob.subscribe(channel);
        Agent ann = client("ann", nodes().a());
        ann.subscribe(channel);
        for (int n = 1; n <= 20; n++) {
            ann.call("publish", Map.of("channel", channel, "data", Map.of("n", n)));
        }
        List<JsonNode> got = bob.publications(channel, 20);
        assertThat(numbers(got))
                .as("what bob got of ann's publications, in order")
                .isEqualTo(upTo(20));
        assertThat(offsets(got)).as("their offsets").isEqualTo(from(offsets(got).getFirst(), 20));
        assertThat(got.getFirst().path("user").asText()).as("the publisher").isEqualTo("ann");
        assertThat(numbers(ann.publications(channel, 20)))
                .as("what ann got of her own")
                .isEqualTo(upTo(20));
    }

    @Test
    void presenceAndJoinLeaveSpanTheNodes() {
        String channel = channel("presence");
        Agent ann = client("ann", nodes().a());
        ann.subscribe(channel);
        Agent bob = client("bob", nodes().b());
        bob.subscribe(channel);
        ann.next("join", Map.of("channel", channel, "user", "bob"));
        JsonNode presence = bob.call("presence", Map.of("channel", channel));
        assertThat(users(presence.get("clients")))
                .as("presence asked on bob's node")
                .containsExactlyInAnyOrder("ann", "bob");
        JsonNode stats = ann.call("presenceStats", Map.of("channel", channel));
        assertThat(stats.get("numClients").asInt())
                .as("clients in presence_stats")
                .isEqualTo(2);
        assertThat(stats.get("numUsers").asInt()).as("users in presence_stats").isEqualTo(2);

        bob.call("disconnect", Map.of());
        ann.next("leave", Map.of("channel", channel, "user", "bob"));
        JsonNode after = ann.call("presence", Map.of("channel", channel));
        assertThat(users(after.get("clients"))).as("presence once bob left").containsExactly("ann");
    }

    @Test
    void historyKeepsWhatWasPublishedAndPagesThroughIt() {
        String channel = channel("history");
        for (int n = 1; n <= 5; n++) {
            Curl.publish(nodes().a().http(""), channel, "{\"n\":" + n + "}");
        }
        Agent bob = client("bob", nodes().b());
        JsonNode position = bob.subscribe(channel).get("position");
        JsonNode all = bob.call("history", Map.of("channel", channel, "limit", 10));
        assertThat(numbers(all.get("publications"))).as("the whole history").isEqualTo(upTo(5));
        long last = offsets(all.get("publications")).getLast();
        assertThat(all.get("offset").asLong()).as("the history's top offset").isEqualTo(last);
        assertThat(position.get("offset").asLong())
                .as("the position bob subscribed at")
                .isEqualTo(last);
        assertThat(all.get("epoch").asText())
                .as("the history's epoch")
                .isEqualTo(position.get("epoch").asText());

        JsonNode newest = bob.call("history", Map.of("channel", channel, "limit", 2, "reverse", true));
        assertThat(numbers(newest.get("publications"))).as("limit 2, reverse").containsExactly(5, 4);
        Map<String, Object> since =
                Map.of("offset", last - 3, "epoch", position.get("epoch").asText());
        JsonNode rest = bob.call("history", Map.of("channel", channel, "limit", 10, "since", since));
        assertThat(numbers(rest.get("publications"))).as("since the second").containsExactly(3, 4, 5);
    }

    /** Centrifugo reads a stream from its start unless told {@code since} or {@code reverse}. */
    @Test
    void historyWithALimitAndNoPositionStartsFromTheOldest() {
        String channel = channel("oldest");
        for (int n = 1; n <= 5; n++) {
            publish(channel, n);
        }
        Agent bob = client("bob", nodes().b());
        bob.subscribe(channel);
        JsonNode oldest = bob.call("history", Map.of("channel", channel, "limit", 2));
        assertThat(numbers(oldest.get("publications")))
                .as("history with limit 2, as Centrifugo answers it: the first two of the stream")
                .containsExactly(1, 2);
    }

    @Test
    void aDroppedClientRecoversWhatItMissedOnTheOtherNode() {
        String channel = channel("dropped");
        Agent bob = client("bob", nodes().a());
        assertThat(bob.subscribe(channel).get("recoverable").asBoolean())
                .as("recoverable")
                .isTrue();
        publish(channel, 1);
        long first = bob.publications(channel, 1).getFirst().get("offset").asLong();

        bob.drop(true);
        bob.awaitReconnecting();
        publish(channel, 2);
        publish(channel, 3);
        bob.release(nodes().b().ws(Nodes.CONNECTION));
        JsonNode again = bob.next("subscribed", Map.of("channel", channel));
        assertThat(again.get("wasRecovering").asBoolean()).as("wasRecovering").isTrue();
        assertThat(again.get("recovered").asBoolean()).as("recovered").isTrue();
        assertThat(again.get("position").get("offset").asLong())
                .as("the position bob resubscribed at")
                .isEqualTo(first + 2);
        publish(channel, 4);
        List<JsonNode> got = bob.publications(channel, 3);
        assertThat(numbers(got))
                .as("what bob got after reconnecting to node B: each missed publication once, then the live one")
                .containsExactly(2, 3, 4);
        assertThat(offsets(got)).as("their offsets").isEqualTo(from(first + 1, 3));
        assertThat(bob.unread("publication")).as("publications after those").isEmpty();
    }

    @Test
    void aClientRecoversAfterItsNodeRestarts() {
        String channel = channel("restart");
        ServedNode b = nodes().b();
        Agent bob = client("bob", b);
        bob.subscribe(channel);
        publish(channel, 1);
        assertThat(numbers(bob.publications(channel, 1))).containsExactly(1);

        b.stop();
        bob.awaitReconnecting();
        boolean twoNodes = nodes().a() != b;
        if (twoNodes) {
            publish(channel, 2);
            publish(channel, 3);
        }
        b.startAgain();
        JsonNode again = bob.next("subscribed", Map.of("channel", channel));
        assertThat(again.get("wasRecovering").asBoolean()).as("wasRecovering").isTrue();
        boolean kept = nodes().historySurvivesRestart();
        assertThat(again.get("recovered").asBoolean())
                .as(kept ? "recovered from the history in Redis" : "recovered, from a history the restart lost")
                .isEqualTo(kept);
        publish(channel, 4);
        List<Integer> expected = twoNodes ? List.of(2, 3, 4) : List.of(4);
        assertThat(numbers(bob.publications(channel, expected.size())))
                .as("what bob got after the restart")
                .isEqualTo(expected);
        assertThat(bob.unread("publication")).as("publications after those").isEmpty();
    }

    /** The README's command, as it is: {@code curl -H "X-API-Key: K" -d '{"channel":"news",...}' localhost:PORT/api/publish}. */
    @Test
    void curlPublishesThroughTheServerApiToSubscribersOnEveryNode() {
        String channel = "news"; // the README's; no other test uses it
        Agent ann = client("ann", nodes().a());
        ann.subscribe(channel);
        Agent bob = client("bob", nodes().b());
        bob.subscribe(channel);
        JsonNode result = Curl.publish("localhost:" + nodes().a().port(), channel, "{\"text\":\"hi\"}");
        for (Agent client : List.of(ann, bob)) {
            JsonNode publication = client.publications(channel, 1).getFirst();
            assertThat(publication.get("data").get("text").asText())
                    .as(client.describe() + "'s publication")
                    .isEqualTo("hi");
            assertThat(publication.get("offset").asLong())
                    .as(client.describe() + "'s offset")
                    .isEqualTo(result.path("offset").asLong());
        }
    }

    /**
     * The connection token and the private channel's subscription token expire within two seconds;
     * the client asks for others and refreshes both. The refresh replies come before the next
     * call's on the same connection, so a refused refresh would have shown (an error, an
     * unsubscribe, a disconnect) by the time that call is answered.
     */
    @Test
    void aClientRefreshesItsConnectionAndSubscriptionTokensBeforeTheyExpire() {
        String channel = PRIVATE + ":" + channel("refresh");
        Agent bob = new Agent("bob, who connected to " + nodes().label(nodes().b()), link("bob"));
        clients.add(bob);
        Duration soon = Duration.ofSeconds(2);
        bob.connect(
                nodes().b().ws(Nodes.CONNECTION), Tokens.connection("bob", soon), List.of(Tokens.connection("bob")));
        bob.startSubscribing(
                channel, Tokens.subscription("bob", channel, soon), List.of(Tokens.subscription("bob", channel)));
        bob.next("subscribed", Map.of("channel", channel));
        bob.next("token asked", Map.of("left", 1));
        bob.next("subscription token asked", Map.of("channel", channel, "left", 1));
        assertThat(bob.call("presenceStats", Map.of("channel", channel))
                        .get("numClients")
                        .asInt())
                .as("clients once bob refreshed")
                .isEqualTo(1);
        publish(channel, 1);
        assertThat(numbers(bob.publications(channel, 1)))
                .as("after the refresh")
                .containsExactly(1);
        for (String trouble : List.of("client error", "disconnected", "subscription error", "unsubscribed")) {
            assertThat(bob.unread(trouble)).as(trouble + " events").isEmpty();
        }
        assertThat(bob.unread("connecting").stream().map(e -> e.get("reason").asText()))
                .as("reconnects")
                .containsOnly("connect called");
    }

    @Test
    void aPrivateChannelTakesASubscriptionTokenForThatChannel() {
        String channel = PRIVATE + ":" + channel("room");
        Agent ann = client("ann", nodes().b());
        ann.startSubscribing(channel, Tokens.subscription("ann", channel));
        ann.next("subscribed", Map.of("channel", channel));
        Curl.publish(nodes().a().http(""), channel, "{\"secret\":1}");
        assertThat(ann.publications(channel, 1)
                        .getFirst()
                        .get("data")
                        .get("secret")
                        .asInt())
                .isEqualTo(1);

        Agent eve = client("eve", nodes().b());
        eve.startSubscribing(channel, null);
        JsonNode refused = eve.next("unsubscribed", Map.of("channel", channel));
        assertThat(refused.get("code").asInt())
                .as("without a token: permission denied")
                .isEqualTo(103);
        String elsewhere = PRIVATE + ":" + channel("other");
        Agent mallory = client("mallory", nodes().b());
        mallory.startSubscribing(channel, Tokens.subscription("mallory", elsewhere));
        JsonNode wrong = mallory.next("unsubscribed", Map.of("channel", channel));
        assertThat(wrong.get("code").asInt()).as("with another channel's token").isIn(103, 3500);
    }

    @Test
    void aSubscriptionToAnUnknownNamespaceIsRefusedAndTheClientCarriesOn() {
        Agent bob = client("bob", nodes().b());
        String unknown = "nowhere:" + channel("x");
        bob.startSubscribing(unknown, null);
        JsonNode refused = bob.next("unsubscribed", Map.of("channel", unknown));
        assertThat(refused.get("code").asInt()).as("unknown channel").isEqualTo(102);
        String channel = channel("fine");
        bob.subscribe(channel);
        publish(channel, 1);
        assertThat(numbers(bob.publications(channel, 1)))
                .as("a channel subscribed after")
                .containsExactly(1);
    }

    /** Publishes {@code {"n": n}} to {@code channel} on node A, with curl. */
    void publish(String channel, int n) {
        Curl.publish(nodes().a().http(""), channel, "{\"n\":" + n + "}");
    }

    private static List<Integer> numbers(Iterable<JsonNode> publications) {
        return stream(publications).map(p -> p.get("data").get("n").asInt()).toList();
    }

    private static List<Long> offsets(Iterable<JsonNode> publications) {
        return stream(publications).map(p -> p.get("offset").asLong()).toList();
    }

    private static List<String> users(JsonNode clients) {
        return stream(clients).map(c -> c.get("user").asText()).toList();
    }

    private static java.util.stream.Stream<JsonNode> stream(Iterable<JsonNode> nodes) {
        return StreamSupport.stream(nodes.spliterator(), false);
    }

    private static List<Integer> upTo(int last) {
        return IntStream.rangeClosed(1, last).boxed().toList();
    }

    private static List<Long> from(long first, int count) {
        return IntStream.range(0, count).mapToObj(i -> first + i).toList();
    }
}
