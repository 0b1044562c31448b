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
import io.switchboard.json.Json;
import io.switchboard.server.chat.ChatSettings;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A room can always be joined: whatever its history holds, the welcome fits a connection's outbound
 * buffer and is the first message a joiner receives; older messages are paged with history requests.
 */
class ChatWelcomeTest {

    private TestServer server;
    private Application app;

    private void start(ChatSettings settings) {
        app = new Application(settings, new InMemoryHistory(), Clock.systemUTC());
        server = TestServer.start(b -> b.router(app.router()).authenticator(app.authenticator()));
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

    /** 100 messages of {@code text} from one client, inside the rate burst, each read back. */
    private void fill(String room, String text) {
        try (RawClient poisoner = RawClient.connect("127.0.0.1", server.port())) {
            assertThat(poisoner.upgrade("/ws/chat/" + room + "?user=poisoner").status())
                    .isEqualTo(101);
            assertThat(json(poisoner.readFrame()).path("type").asText()).isEqualTo("welcome");
            for (int i = 0; i < 100; i++) {
                poisoner.sendText(Json.write(Map.of("message", text)));
            }
            for (int i = 1; i <= 100; i++) {
                assertThat(nextOfType(poisoner, "message").get("id").asLong()).isEqualTo(i);
            }
            poisoner.sendClose(1000, "");
            nextOfType(poisoner, "close");
        }
    }

    @Test
    void aRoomFullOfLongCjkMessagesCanStillBeJoined() {
        start(ChatSettings.defaults());
        fill("lobby", "漢".repeat(4000)); // 12,000 bytes a message in UTF-8: 1.2 MB of history
        assertJoinableAndPagedThrough("lobby");
    }

    @Test
    void aRoomFullOfControlCharactersCanStillBeJoined() {
        start(ChatSettings.defaults());
        fill("lobby", "\u0001".repeat(4000)); // JSON escapes each to 6 bytes: 2.4 MB of history
        assertJoinableAndPagedThrough("lobby");
    }

    private void assertJoinableAndPagedThrough(String room) {
        try (RawClient joiner = RawClient.connect("127.0.0.1", server.port())) {
            assertThat(joiner.upgrade("/ws/chat/" + room + "?user=joiner").status())
                    .isEqualTo(101);
            RawClient.Frame first = joiner.readFrame();
            assertThat(first.payload().length).isLessThanOrEqualTo(ChatSettings.DEFAULT_WELCOME_BYTES + 1024);
            JsonNode welcome = json(first);
            assertThat(welcome.path("type").asText()).isEqualTo("welcome");
            List<Long> newest = ids(welcome.get("history"));
            assertThat(newest).isNotEmpty().endsWith(100L);
            assertThat(welcome.get("more").asBoolean()).isTrue();

            // Page from the start up to the welcome's first message: every kept message once, in order.
            List<Long> paged = new ArrayList<>();
            long since = 0;
            while (since < newest.get(0) - 1) {
                joiner.sendText(Json.write(Map.of("type", "history", "since", since)));
                JsonNode page = nextOfType(joiner, "history");
                List<Long> got = ids(page.get("messages"));
                assertThat(got).isNotEmpty();
                got.stream().filter(id -> id < newest.get(0)).forEach(paged::add);
                since = got.get(got.size() - 1);
            }
            paged.addAll(newest);
            assertThat(paged)
                    .containsSequence(1L, 2L)
                    .endsWith(100L)
                    .doesNotHaveDuplicates()
                    .hasSize(100);
            joiner.sendClose(1000, "");
            nextOfType(joiner, "close");
        }
    }

    /**
     * A frame's text as JSON, decoded strictly: a raw socket, since the JDK's WebSocket client was
     * seen to reject long CJK messages whose UTF-8 a strict decoder accepts.
     */
    private static JsonNode json(RawClient.Frame frame) {
        assertThat(frame.opcode()).as("frame " + frame).isEqualTo(RawClient.TEXT);
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(frame.payload()))
                    .toString();
            return Json.read(text, JsonNode.class);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new AssertionError("the server sent invalid UTF-8", e);
        }
    }

    /** The next message of {@code type} (or the close frame, for "close"), passing over joins and leaves. */
    private static JsonNode nextOfType(RawClient client, String type) {
        while (true) {
            RawClient.Frame frame = client.readFrame();
            if (frame.opcode() == RawClient.CLOSE) {
                assertThat(type).as("closed with " + frame.closeCode()).isEqualTo("close");
                return null;
            }
            JsonNode message = json(frame);
            String got = message.path("type").asText();
            if (got.equals(type)) {
                return message;
            }
            assertThat(got).as("what came before the " + type).isIn("join", "leave");
        }
    }

    /**
     * 100 direct messages of 4,000 control characters (2.4 MB as JSON) wait for an absent user: they
     * reach them in pages that fit, all of them, in order, and the connection stays open.
     */
    @Test
    void manyLongDirectMessagesForAnAbsentUserArriveInPagesThatFit() {
        start(ChatSettings.defaults());
        try (RawClient sender = RawClient.connect("127.0.0.1", server.port())) {
            assertThat(sender.upgrade("/ws/chat/lobby?user=sender").status()).isEqualTo(101);
            nextOfType(sender, "welcome");
            for (int i = 0; i < 100; i++) { // each read back, so the sender is no slow consumer
                sender.sendText(Json.write(Map.of("message", i + "\u0001".repeat(4000), "to_user", "zed")));
                nextOfType(sender, "direct");
                nextOfType(sender, "queued");
            }
            sender.sendClose(1000, "");
            nextOfType(sender, "close");
        }
        try (RawClient zed = RawClient.connect("127.0.0.1", server.port())) {
            assertThat(zed.upgrade("/ws/chat/kitchen?user=zed").status()).isEqualTo(101);
            assertThat(nextOfType(zed, "welcome")).isNotNull();
            List<Integer> received = new ArrayList<>();
            int pages = 1;
            while (received.size() < 100) {
                JsonNode next = json(zed.readFrame());
                switch (next.path("type").asText()) {
                    case "direct" ->
                        received.add(
                                Integer.parseInt(next.get("message").asText().replace("\u0001", "")));
                    case "more_directs" -> {
                        zed.sendText("{\"type\":\"directs\"}");
                        pages++;
                    }
                    default -> throw new AssertionError("unexpected " + next.path("type"));
                }
            }
            assertThat(received).isSortedAccordingTo(Integer::compare).doesNotHaveDuplicates();
            assertThat(pages).isGreaterThan(1);
            zed.sendClose(1000, "");
            nextOfType(zed, "close");
        }
    }

    @Test
    void aWelcomeThatFitsSaysNothingMoreIsKept() {
        start(ChatSettings.defaults());
        ChatClient ann = join("lobby", "ann");
        ann.welcome();
        ann.say("hello");
        ann.next("message");
        JsonNode welcome = join("lobby", "bob").welcome();
        assertThat(ids(welcome.get("history"))).containsExactly(1L);
        assertThat(welcome.get("more").asBoolean()).isFalse();
        ann.next("join");
    }

    @Test
    void aResumeThatDoesNotFitIsNotRecovered() {
        start(ChatSettings.defaults().withWelcomeBytes(1000));
        ChatClient ann = join("lobby", "ann");
        String epoch = ann.welcome().get("epoch").asText();
        for (int i = 0; i < 5; i++) {
            ann.say("x".repeat(300));
            ann.next("message");
        }
        ChatClient back = new ChatClient(server.connect("/ws/chat/lobby?user=bob&since=1&epoch=" + epoch), "bob");
        JsonNode welcome = back.welcome();
        assertThat(ids(welcome.get("history"))).containsExactly(4L, 5L);
        assertThat(welcome.get("recovered").asBoolean()).isFalse();
        assertThat(welcome.get("more").asBoolean()).isTrue();
        ann.next("join");
    }

    /**
     * Joiners arrive while others join and leave the room: every joiner's first message is its
     * welcome, never a join or leave broadcast that reached it while it was connecting.
     */
    @Test
    void theWelcomeComesFirstWhileOthersJoinAndLeave() throws Exception {
        start(ChatSettings.defaults());
        fill("lobby", "漢".repeat(4000));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> churnFailed = new AtomicReference<>();
        CountDownLatch churned = new CountDownLatch(1);
        Thread churn = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; !stop.get(); i++) {
                    try (RawClient walker = RawClient.connect("127.0.0.1", server.port())) {
                        walker.upgrade("/ws/chat/lobby?user=walker" + (i % 5));
                        walker.sendClose(1000, ""); // leaves at once, its welcome unread
                        while (walker.readFrame().opcode() != RawClient.CLOSE) {
                            // its welcome, and what reached it before its close
                        }
                    }
                    if (i == 10) {
                        churned.countDown();
                    }
                }
            } catch (Throwable e) {
                churnFailed.set(e);
                churned.countDown();
            }
        });
        try {
            assertThat(churned.await(30, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 60 && churnFailed.get() == null; i++) {
                try (RawClient joiner = RawClient.connect("127.0.0.1", server.port())) {
                    assertThat(joiner.upgrade("/ws/chat/lobby?user=joiner" + i).status())
                            .isEqualTo(101);
                    RawClient.Frame first = joiner.readFrame();
                    assertThat(first.opcode()).as("joiner %d's first frame", i).isEqualTo(RawClient.TEXT);
                    String text = StandardCharsets.UTF_8
                            .newDecoder()
                            .decode(java.nio.ByteBuffer.wrap(first.payload()))
                            .toString(); // fails on invalid UTF-8
                    assertThat(Json.read(text, JsonNode.class).path("type").asText())
                            .as("joiner %d's first message", i)
                            .isEqualTo("welcome");
                }
            }
        } finally {
            stop.set(true);
            churn.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(churnFailed.get()).isNull();
    }
}
