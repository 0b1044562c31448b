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
import io.switchboard.engine.InMemoryHistory;
import io.switchboard.server.chat.ChatSettings;
import io.switchboard.server.chat.Names;
import io.switchboard.settings.Limits;
import io.switchboard.settings.RateLimit;
import io.switchboard.settings.RateLimitPolicy;
import io.switchboard.testkit.ClientEvent;
import io.switchboard.testkit.TestServer;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The chat protocol over real sockets, rule by rule. */
class ChatTest {

    private TestServer server;
    private Application app;

    private void start(ChatSettings settings) {
        start(settings, Limits.defaults());
    }

    private void start(ChatSettings settings, Limits limits) {
        app = new Application(settings, new InMemoryHistory(), Clock.systemUTC());
        server = TestServer.start(
                b -> b.router(app.router()).authenticator(app.authenticator()).limits(limits));
        app.start(server.server());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
            app.close();
        }
    }

    private ChatClient join(String room, String user) {
        return new ChatClient(server.connect("/ws/chat/" + room + "?user=" + user), user);
    }

    private ChatClient join(String room, String user, long since) {
        return new ChatClient(server.connect("/ws/chat/" + room + "?user=" + user + "&since=" + since), user);
    }

    @Test
    void welcomeComesFirstWithMembersAndHistory() {
        start(ChatSettings.defaults());
        ChatClient ann = join("lobby", "ann");
        JsonNode welcome = ann.welcome();
        assertThat(welcome.get("room").asText()).isEqualTo("lobby");
        assertThat(welcome.get("user").asText()).isEqualTo("ann");
        assertThat(texts(welcome.get("members"))).containsExactly("ann");
        assertThat(welcome.get("history")).isEmpty();
        assertThat(welcome.get("recovered").asBoolean()).isTrue();

        ChatClient bob = join("lobby", "bob");
        assertThat(texts(bob.welcome().get("members"))).containsExactly("ann", "bob");
        ann.next("join");
    }

    @Test
    void roomMessagesReachEveryoneWithIncreasingIdsAndTheServersFrom() {
        start(ChatSettings.defaults());
        ChatClient ann = join("lobby", "ann");
        ann.welcome();
        ChatClient bob = join("lobby", "bob");
        bob.welcome();
        ann.next("join");

        ann.socket.sendText("{\"message\":\"one\",\"from\":\"mallory\"}");
        ann.say("two");
        for (ChatClient client : List.of(ann, bob)) {
            JsonNode first = client.next("message");
            assertThat(first.get("room").asText()).isEqualTo("lobby");
            assertThat(first.get("id").asLong()).isEqualTo(1);
            assertThat(first.get("from").asText()).isEqualTo("ann");
            assertThat(first.get("message").asText()).isEqualTo("one");
            assertThat(first.get("ts").asLong()).isPositive();
            assertThat(client.next("message").get("id").asLong()).isEqualTo(2);
        }
        bob.say("three");
        for (ChatClient client : List.of(ann, bob)) {
            JsonNode third = client.next("message");
            assertThat(third.get("id").asLong()).isEqualTo(3);
            assertThat(third.get("from").asText()).isEqualTo("bob");
        }
    }

    @Test
    void roomsAreSeparateAndIdsCountPerRoom() {
        start(ChatSettings.defaults());
        ChatClient lobby = join("lobby", "ann");
        lobby.welcome();
        ChatClient other = join("other.room-2", "bob");
        other.welcome();
        lobby.say("in lobby");
        other.say("in other");
        assertThat(lobby.next("message").get("id").asLong()).isEqualTo(1);
        JsonNode inOther = other.next("message");
        assertThat(inOther.get("id").asLong()).isEqualTo(1);
        assertThat(inOther.get("message").asText()).isEqualTo("in other");
    }

    @Test
    void newcomersGetTheNewestHistoryOldestFirst() {
        start(new ChatSettings(3, 100, 4096));
        ChatClient ann = join("lobby", "ann");
        ann.welcome();
        for (int i = 1; i <= 5; i++) {
            ann.say("m" + i);
            ann.next("message");
        }
        JsonNode welcome = join("lobby", "bob").welcome();
        assertThat(ids(welcome.get("history"))).containsExactly(3L, 4L, 5L);
        assertThat(texts(welcome.get("history"))).containsExactly("m3", "m4", "m5");
        assertThat(welcome.get("recovered").asBoolean()).isTrue();
        ann.next("join");
    }

    @Test
    void sinceRecoversExactlyWhatWasMissed() {
        start(new ChatSettings(3, 100, 4096));
        ChatClient ann = join("lobby", "watcher");
        ann.welcome();
        for (int i = 1; i <= 5; i++) {
            ann.say("m" + i);
            ann.next("message");
        }
        ann.socket.close();
        ann.socket.expectClosed();
        JsonNode complete = rejoin("bob", 3);
        assertThat(ids(complete.get("history"))).containsExactly(4L, 5L);
        assertThat(complete.get("recovered").asBoolean()).isTrue();

        JsonNode upToDate = rejoin("cid", 5);
        assertThat(upToDate.get("history")).isEmpty();
        assertThat(upToDate.get("recovered").asBoolean()).isTrue();

        JsonNode gap = rejoin("dan", 1);
        assertThat(ids(gap.get("history"))).containsExactly(3L, 4L, 5L);
        assertThat(gap.get("recovered").asBoolean()).isFalse();

        JsonNode unknown = rejoin("eve", 99);
        assertThat(unknown.get("history")).isEmpty();
        assertThat(unknown.get("recovered").asBoolean()).isFalse();
    }

    /** Joins the lobby with {@code since} and leaves again; returns the welcome. */
    private JsonNode rejoin(String user, long since) {
        return rejoin(user, "&since=" + since);
    }

    /** Joins the lobby with more query parameters and leaves again; returns the welcome. */
    private JsonNode rejoin(String user, String query) {
        ChatClient client = new ChatClient(server.connect("/ws/chat/lobby?user=" + user + query), user);
        JsonNode welcome = client.welcome();
        client.closeAmidPresence(); // the previous joiner's leave may still be on its way
        return welcome;
    }

    @Test
    void sinceFromAnotherEpochGetsEverythingKeptAndIsNeverRecovered() {
        start(new ChatSettings(3, 100, 4096));
        ChatClient ann = join("lobby", "watcher");
        String epoch = ann.welcome().get("epoch").asText();
        assertThat(epoch).isNotBlank();
        for (int i = 1; i <= 4; i++) {
            ann.say("m" + i);
            ann.next("message");
        }
        ann.socket.close();
        ann.socket.expectClosed();
        JsonNode sameEpoch = rejoin("bob", "&since=3&epoch=" + epoch);
        assertThat(ids(sameEpoch.get("history"))).containsExactly(4L);
        assertThat(sameEpoch.get("recovered").asBoolean()).isTrue();
        assertThat(sameEpoch.get("epoch").asText()).isEqualTo(epoch);

        // After a restart the client's position belongs to the old history: it gets all that is kept.
        JsonNode otherEpoch = rejoin("cid", "&since=3&epoch=before-restart");
        assertThat(ids(otherEpoch.get("history"))).containsExactly(2L, 3L, 4L);
        assertThat(otherEpoch.get("recovered").asBoolean()).isFalse();
        assertThat(otherEpoch.get("epoch").asText()).isEqualTo(epoch);

        JsonNode fromZero = rejoin("dan", "&since=0&epoch=before-restart");
        assertThat(ids(fromZero.get("history"))).containsExactly(2L, 3L, 4L);
        assertThat(fromZero.get("recovered").asBoolean()).isFalse();

        JsonNode epochAlone = rejoin("eve", "&epoch=before-restart"); // no position: a plain join
        assertThat(ids(epochAlone.get("history"))).containsExactly(2L, 3L, 4L);
        assertThat(epochAlone.get("recovered").asBoolean()).isTrue();
    }

    @Test
    void pingIsAnsweredWithPongToTheSenderOnly() {
        start(ChatSettings.defaults());
        ChatClient ann = join("lobby", "ann");
        ann.welcome();
        ChatClient bob = join("lobby", "bob");
        bob.welcome();
        ann.next("join");

        ann.socket.sendText("{\"type\":\"ping\"}");
        assertThat(ann.socket.expectText()).isEqualTo("{\"type\":\"pong\"}");
        ann.socket.sendText("{\"type\":\"ping\",\"message\":\"not a chat message\"}");
        assertThat(ann.socket.expectText()).isEqualTo("{\"type\":\"pong\"}");
        ann.say("fence"); // bob heard nothing of the pings, and no message id was used
        for (ChatClient client : List.of(bob, ann)) {
            JsonNode fence = client.next("message");
            assertThat(fence.get("message").asText()).isEqualTo("fence");
            assertThat(fence.get("id").asLong()).isEqualTo(1);
        }
    }

    @Test
    void joinAndLeaveFollowTheUsersFirstAndLastConnection() {
        start(ChatSettings.defaults());
        ChatClient ann = join("lobby", "ann");
        ann.welcome();
        ChatClient bobTab1 = join("lobby", "bob");
        bobTab1.welcome();
        JsonNode joined = ann.next("join");
        assertThat(joined.get("user").asText()).isEqualTo("bob");
        assertThat(joined.get("room").asText()).isEqualTo("lobby");

        ChatClient bobTab2 = join("lobby", "bob");
        assertThat(texts(bobTab2.welcome().get("members"))).containsExactly("ann", "bob");
        bobTab1.socket.close();
        bobTab1.socket.expectClosed();
        ann.say("fence");
        assertThat(ann.next("message").get("message").asText()).isEqualTo("fence"); // no join, no leave
        bobTab2.next("message");

        bobTab2.socket.close();
        bobTab2.socket.expectClosed();
        JsonNode left = ann.next("leave");
        assertThat(left.get("user").asText()).isEqualTo("bob");
    }

    @Test
    void theJoinerDoesNotHearItsOwnJoin() {
        start(ChatSettings.defaults());
        ChatClient ann = join("lobby", "ann");
        ann.welcome();
        ann.say("fence");
        assertThat(ann.next("message").get("message").asText()).isEqualTo("fence");
    }

    @Test
    void directMessagesReachEveryConnectionOfBothUsersInAnyRoom() {
        start(ChatSettings.defaults());
        ChatClient ann = join("lobby", "ann");
        ann.welcome();
        ChatClient bobLobby = join("lobby", "bob");
        bobLobby.welcome();
        ann.next("join");
        ChatClient bobElsewhere = join("kitchen", "bob");
        bobElsewhere.welcome();

        ann.tell("bob", "psst");
        for (ChatClient client : List.of(ann, bobLobby, bobElsewhere)) {
            JsonNode direct = client.next("direct");
            assertThat(direct.get("from").asText()).isEqualTo("ann");
            assertThat(direct.get("to").asText()).isEqualTo("bob");
            assertThat(direct.get("message").asText()).isEqualTo("psst");
            assertThat(direct.get("ts").asLong()).isPositive();
        }
        ann.say("fence"); // no "queued" for an online user
        assertThat(ann.next("message").get("message").asText()).isEqualTo("fence");
        bobLobby.next("message");
    }

    @Test
    void directMessagesWaitForAnAbsentUserBoundedAndInOrder() {
        start(new ChatSettings(100, 2, 4096));
        ChatClient ann = join("lobby", "ann");
        ann.welcome();
        for (String text : List.of("first", "second", "third")) {
            ann.tell("zed", text);
            assertThat(ann.next("direct").get("message").asText()).isEqualTo(text);
            assertThat(ann.next("queued").get("to").asText()).isEqualTo("zed");
        }

        ChatClient zed = join("kitchen", "zed");
        zed.welcome();
        assertThat(zed.next("direct").get("message").asText()).isEqualTo("second");
        assertThat(zed.next("direct").get("message").asText()).isEqualTo("third");
        zed.say("fence");
        assertThat(zed.next("message").get("message").asText()).isEqualTo("fence");

        ChatClient zedAgain = join("kitchen", "zed");
        zedAgain.welcome();
        zedAgain.say("fence 2"); // the kept messages were removed: nothing before the fence
        assertThat(zedAgain.next("message").get("message").asText()).isEqualTo("fence 2");
        zed.next("message");
    }

    @Test
    void badInputGetsAnErrorAndKeepsTheConnection() {
        start(new ChatSettings(100, 100, 10));
        ChatClient ann = join("lobby", "ann");
        ann.welcome();
        assertError(ann, "{not json", "bad_json");
        assertError(ann, "{\"text\":\"hi\"}", "bad_request");
        assertError(ann, "{\"message\":42}", "bad_request");
        assertError(ann, "{\"message\":\"hi\",\"to_user\":[\"bob\"]}", "bad_request");
        assertError(ann, "[\"message\"]", "bad_request");
        assertError(ann, "{\"message\":\"" + "x".repeat(11) + "\"}", "too_long");
        ann.say("still here");
        assertThat(ann.next("message").get("message").asText()).isEqualTo("still here");
    }

    @Test
    void aMessageDroppedOverTheRateLimitIsAnsweredWithTheChatsError() {
        start(
                ChatSettings.defaults(),
                Limits.defaults().withRateLimit(RateLimit.of(1, 3).withPolicy(RateLimitPolicy.DROP)));
        ChatClient ann = join("lobby", "ann");
        ann.welcome();
        for (int i = 0; i < 4; i++) {
            ann.say("m" + i);
        }
        List<String> types = new java.util.ArrayList<>();
        JsonNode error = null;
        for (int i = 0; i < 4; i++) {
            JsonNode event = ann.next();
            types.add(event.path("type").asText());
            error = event.path("type").asText().equals("error") ? event : error;
        }
        // The echoes come from the handler, the refusal from the network thread: any order.
        assertThat(types).containsExactlyInAnyOrder("message", "message", "message", "error");
        assertThat(error.get("code").asText()).isEqualTo("rate_limited");
        assertThat(error.get("detail").asText()).isEqualTo("too many messages: this one was dropped");
    }

    private static void assertError(ChatClient client, String text, String code) {
        client.socket.sendText(text);
        JsonNode error = client.next("error");
        assertThat(error.get("code").asText()).as(text).isEqualTo(code);
        assertThat(error.get("detail").asText()).isNotBlank();
    }

    @Test
    void binaryClosesWith1003AndOversizeWith1009() {
        start(ChatSettings.defaults(), Limits.defaults().withMessages(m -> m.withMaxFrameBytes(1024)
                .withMaxMessageBytes(1024)));
        ChatClient ann = join("lobby", "ann");
        ann.welcome();
        ann.socket.sendBinary(new byte[] {1, 2});
        assertThat(ann.socket.expectClosed().code()).isEqualTo(1003);

        ChatClient bob = join("kitchen", "bob"); // out of earshot of ann's leave, which may come late
        bob.welcome();
        bob.say("x".repeat(2000));
        ClientEvent event = bob.socket.nextEvent();
        assertThat(event).isInstanceOfAny(ClientEvent.Closed.class, ClientEvent.Failed.class);
        if (event instanceof ClientEvent.Closed closed) {
            assertThat(closed.code()).isEqualTo(1009);
        }
    }

    @Test
    void invalidNamesAndPositionsAreRefusedWith400() {
        start(ChatSettings.defaults());
        assertThat(server.refusedStatus("/ws/chat/lobby")).isEqualTo(400);
        assertThat(server.refusedStatus("/ws/chat/lobby?user=")).isEqualTo(400);
        assertThat(server.refusedStatus("/ws/chat/lobby?user=a%20b")).isEqualTo(400);
        assertThat(server.refusedStatus("/ws/chat/lobby?user=" + "a".repeat(65)))
                .isEqualTo(400);
        assertThat(server.refusedStatus("/ws/chat/" + "r".repeat(65) + "?user=ann"))
                .isEqualTo(400);
        assertThat(server.refusedStatus("/ws/chat/r%21?user=ann")).isEqualTo(400);
        assertThat(server.refusedStatus("/ws/chat/lobby?user=ann&since=-1")).isEqualTo(400);
        assertThat(server.refusedStatus("/ws/chat/lobby?user=ann&since=abc")).isEqualTo(400);
    }

    @Test
    void httpEndpoints() {
        start(ChatSettings.defaults());
        var health = server.get("/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
        var page = server.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("<script type=\"module\" src=\"chat.js\">");
        var library = server.get("/switchboard.js");
        assertThat(library.statusCode()).isEqualTo(200);
        assertThat(library.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).contains("javascript"));
        for (String module :
                List.of("reconnecting-socket.js", "chat-client.js", "resume.js", "emitter.js", "chat.js")) {
            assertThat(server.get("/" + module).statusCode()).as(module).isEqualTo(200);
        }
        var rules = server.get("/chat.json");
        assertThat(rules.statusCode()).isEqualTo(200);
        JsonNode said = io.switchboard.json.Json.read(rules.body(), JsonNode.class);
        assertThat(said.path("namePattern").textValue()).isEqualTo(Names.PATTERN);
        assertThat(said.path("nameRule").textValue()).isEqualTo(Names.RULE);
        assertThat(said.path("nameMaxLength").intValue()).isEqualTo(Names.MAX_LENGTH);
        assertThat(said.path("maxMessageChars").intValue()).isEqualTo(4096);
        assertThat(server.get("/nope").statusCode()).isEqualTo(404);
        assertThat(server.get("/ws/nope").statusCode()).isEqualTo(404);
        for (String path : List.of("/ws/echo", "/ws/clock", "/ws/chat/lobby")) {
            var plain = server.get(path);
            assertThat(plain.statusCode()).as(path).isEqualTo(426);
            assertThat(plain.headers().firstValue("sec-websocket-version")).hasValue("13");
        }
    }

    @Test
    void echoAndClock() {
        start(ChatSettings.defaults());
        var echo = server.connect("/ws/echo");
        echo.sendText("hello");
        assertThat(echo.expectText()).isEqualTo("hello");
        echo.sendBinary(new byte[] {7, 8});
        assertThat(echo.expectBinary()).containsExactly(7, 8);

        var clock = server.connect("/ws/clock");
        JsonNode tick = io.switchboard.json.Json.read(clock.expectText(), JsonNode.class);
        assertThat(tick.get("type").asText()).isEqualTo("time");
        assertThat(java.time.Instant.parse(tick.get("iso").asText()).toEpochMilli())
                .isEqualTo(tick.get("epochMillis").asLong());
        assertThat(tick.get("iso").asText()).endsWith("Z");
        JsonNode next = io.switchboard.json.Json.read(clock.expectText(), JsonNode.class);
        assertThat(next.get("epochMillis").asLong())
                .isGreaterThan(tick.get("epochMillis").asLong());
        clock.close();
        clock.expectClosed();
    }
}
