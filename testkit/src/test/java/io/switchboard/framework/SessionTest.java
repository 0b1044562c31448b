/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.routing.Router;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Handlers;
import io.switchboard.session.Message;
import io.switchboard.session.Session;
import io.switchboard.settings.Limits;
import io.switchboard.testkit.ClientEvent;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.Recorder;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a handler does with its session, seen from a real client. */
class SessionTest {

    private final Recorder<String> notes = new Recorder<>("server side");

    record Greeting(String to, int times) {}

    @Test
    void aSessionSendsTextBinaryAndJson() {
        Router router = Router.builder()
                .websocket(
                        "/ws/send",
                        Handlers.of(ws -> ws.onOpen(session -> {
                            boolean all = session.send("text")
                                    & session.send(new byte[] {1, 2, 3})
                                    & session.sendJson(new Greeting("ann", 2))
                                    & session.send(Message.binary(new byte[] {4}))
                                    & session.send(Message.json(List.of(1, 2)));
                            notes.record("all sent " + all);
                        })))
                .build();
        try (TestServer server = TestServer.start(router)) {
            TestClient client = server.connect("/ws/send");
            assertThat(client.expectText()).isEqualTo("text");
            assertThat(client.expectBinary()).containsExactly(1, 2, 3);
            assertThat(client.expectJson(Greeting.class)).isEqualTo(new Greeting("ann", 2));
            assertThat(client.expectBinary()).containsExactly(4);
            assertThat(client.expectText()).isEqualTo("[1,2]");
            assertThat(notes.next(Duration.ofSeconds(5))).isEqualTo("all sent true");
        }
    }

    @Test
    void messagesLargerThanTheInboundLimitMayBeSent() {
        String big = "x".repeat(200 * 1024);
        Router router = Router.builder()
                .websocket("/ws/big", Handlers.of(ws -> ws.onText((session, text) -> session.send(big))))
                .build();
        try (TestServer server = TestServer.start(router)) {
            TestClient client = server.connect("/ws/big");
            client.sendText("send it"); // see TestClient on a large message right behind the handshake
            assertThat(client.expectText()).isEqualTo(big);
        }
    }

    @Test
    void sendsFromAThreadOfTheHandlersOwnArriveInOrder() {
        Router router = Router.builder()
                .websocket(
                        "/ws/ticker",
                        Handlers.of(ws ->
                                ws.onText((session, text) -> Thread.ofVirtual().start(() -> {
                                    for (int i = 0; i < 100; i++) {
                                        session.send("tick " + i);
                                    }
                                }))))
                .build();
        try (TestServer server = TestServer.start(router)) {
            TestClient client = server.connect("/ws/ticker");
            client.sendText("start");
            for (int i = 0; i < 100; i++) {
                assertThat(client.expectText()).isEqualTo("tick " + i);
            }
        }
    }

    @Test
    void theClientSeesTheCodeAndReasonTheHandlerClosesWith() {
        Router router = Router.builder()
                .websocket(
                        "/ws/close",
                        Handlers.of(ws -> ws.onText((session, text) -> {
                            String[] parts = text.split(" ", 2);
                            session.close(Integer.parseInt(parts[0]), parts[1]);
                        })))
                .build();
        try (TestServer server = TestServer.start(router)) {
            for (String reason : List.of("bye", "", "ünïcödé ✓", "r".repeat(CloseStatus.MAX_REASON_BYTES))) {
                TestClient client = server.connect("/ws/close");
                client.sendText("4321 " + reason);
                assertThat(client.expectClosed()).isEqualTo(new ClientEvent.Closed(4321, reason));
            }
            TestClient normal = server.connect("/ws/close");
            normal.sendText("1000 done");
            assertThat(normal.expectClosed()).isEqualTo(new ClientEvent.Closed(1000, "done"));
        }
    }

    @Test
    void codesThatMayNotBeSentAreRefusedAndTheSessionStaysOpen() {
        Router router = Router.builder()
                .websocket(
                        "/ws/bad-close",
                        Handlers.of(ws -> ws.onText((session, text) -> {
                            try {
                                session.close(Integer.parseInt(text), "");
                                session.send("closed?");
                            } catch (IllegalArgumentException e) {
                                session.send(e.getMessage() + ", open " + session.isOpen());
                            }
                        })))
                .build();
        try (TestServer server = TestServer.start(router)) {
            TestClient client = server.connect("/ws/bad-close");
            for (int code : List.of(1005, 1006, 1015)) {
                client.sendText(String.valueOf(code));
                assertThat(client.expectText()).isEqualTo("close code " + code + " may not be sent, open true");
            }
            client.sendText("999");
            assertThat(client.expectText()).isEqualTo("close code 999 is outside 1000-4999, open true");
        }
    }

    @Test
    void everySessionHasAnAddressOfItsOwnOnThisNode() {
        Router router = Router.builder()
                .websocket(
                        "/ws/address",
                        Handlers.of(ws -> ws.onOpen(
                                session -> session.send(session.address().value()))))
                .build();
        try (TestServer server = TestServer.start(router)) {
            Set<String> addresses = new HashSet<>();
            for (int i = 0; i < 30; i++) {
                TestClient client = server.connect("/ws/address");
                String address = client.expectText();
                assertThat(address).startsWith(server.server().nodeId() + ".");
                addresses.add(address);
                client.abort();
            }
            assertThat(addresses).hasSize(30);
        }
    }

    @Test
    void attributesBelongToOneSessionAndLastUntilDisconnect() {
        Router router = Router.builder()
                .websocket("/ws/attr", Handlers.of(ws -> ws.onText((session, text) ->
                                session.send((String) session.attributes().merge("seen", text, (a, b) -> a + "," + b)))
                        .onDisconnect((session, status) -> notes.record("at disconnect " + session.attributes()))))
                .build();
        try (TestServer server = TestServer.start(router)) {
            TestClient ann = server.connect("/ws/attr");
            TestClient bob = server.connect("/ws/attr");
            ann.sendText("a1");
            bob.sendText("b1");
            ann.sendText("a2");
            assertThat(ann.expectText()).isEqualTo("a1");
            assertThat(ann.expectText()).isEqualTo("a1,a2");
            assertThat(bob.expectText()).isEqualTo("b1");
            ann.sendClose(1000, "");
            assertThat(ann.expectClosed().code()).isEqualTo(1000);
            assertThat(notes.next(Duration.ofSeconds(5))).isEqualTo("at disconnect {seen=a1,a2}");
        }
    }

    @Test
    void theCloseFutureCompletesWithTheStatusBeforeDisconnectRuns() {
        Router router = Router.builder()
                .websocket("/ws/future", Handlers.of(ws -> ws.onOpen(session ->
                                session.closeFuture().thenAccept(status -> notes.record("closeFuture " + status)))
                        .onDisconnect((session, status) -> notes.record("disconnect " + status + " open "
                                + session.isOpen() + " send " + session.send("late")))))
                .build();
        try (TestServer server = TestServer.start(router)) {
            TestClient client = server.connect("/ws/future");
            client.sendClose(4002, "leaving");
            assertThat(client.expectClosed().code()).isEqualTo(4002);
            CloseStatus status = CloseStatus.of(4002, "leaving");
            assertThat(notes.next(Duration.ofSeconds(5))).isEqualTo("closeFuture " + status);
            assertThat(notes.next(Duration.ofSeconds(5))).isEqualTo("disconnect " + status + " open false send false");
        }
    }

    @Test
    void afterCloseASessionIsNotOpenAndSendsReturnFalse() {
        Router router = Router.builder()
                .websocket(
                        "/ws/after",
                        Handlers.of(ws -> ws.onText((session, text) -> {
                            boolean before = session.isOpen();
                            session.close(4003, "closing");
                            notes.record("open before " + before + ", after " + session.isOpen() + ", send "
                                    + session.send("after close") + ", binary " + session.send(new byte[1]));
                        })))
                .build();
        try (TestServer server = TestServer.start(router)) {
            TestClient client = server.connect("/ws/after");
            client.sendText("close please");
            assertThat(client.expectClosed()).isEqualTo(new ClientEvent.Closed(4003, "closing"));
            assertThat(notes.next(Duration.ofSeconds(5)))
                    .isEqualTo("open before true, after false, send false, binary false");
        }
    }

    @Test
    void nothingFollowsTheCloseFrameEvenWhenAnotherThreadKeepsSending() {
        Router router = Router.builder()
                .websocket(
                        "/ws/race",
                        Handlers.of(ws -> ws.onText((session, text) -> {
                            if (text.equals("go")) {
                                Thread.ofVirtual().start(() -> flood(session));
                            } else {
                                session.close(4004, "stop"); // while the flood goes on
                            }
                        })))
                .build();
        // Room for the flood (each queued send counts a few dozen bytes more than its frame).
        Limits roomy = Limits.defaults().withBuffers(b -> b.withOutboundBufferBytes(16 << 20));
        try (TestServer server = TestServer.start(b -> b.router(router).limits(roomy))) {
            for (int round = 0; round < 5; round++) { // a race: several rounds to lose it reliably
                try (RawClient raw = server.raw()) {
                    assertThat(raw.upgrade("/ws/race").status()).isEqualTo(101);
                    raw.sendText("go");
                    raw.sendText("stop");
                    RawClient.Frame frame = raw.readFrame();
                    while (frame.opcode() == RawClient.TEXT) {
                        frame = raw.readFrame();
                    }
                    assertThat(frame.opcode()).isEqualTo(RawClient.CLOSE);
                    assertThat(frame.closeCode()).isEqualTo(4004);
                    raw.sendClose(4004, "");
                    raw.expectEof(); // not one data frame after the close frame
                    String n = notes.next(Duration.ofSeconds(5));
                    System.out.println("FLOOD " + n);
                    assertThat(n).startsWith("flood stopped after ");
                }
            }
        }
    }

    /** Sends as fast as it can until a send fails, or 20,000 sends: the race is in the first few. */
    private void flood(Session session) {
        int sent = 0;
        while (sent < 20_000 && session.send("tick " + sent)) {
            sent++;
        }
        notes.record("flood stopped after " + sent);
    }

    @Test
    void aSessionKnowsItsScopeAndHasNoUserOrSubprotocolByDefault() {
        Router router = Router.builder()
                .websocket(
                        "/ws/me/{name}",
                        Handlers.of(ws -> ws.onText(
                                (session, text) -> session.send(session.scope().pathParam("name") + " user "
                                        + session.user().isPresent() + " subprotocol "
                                        + session.subprotocol().isPresent() + " groups " + session.groups()))))
                .build();
        try (TestServer server = TestServer.start(router)) {
            TestClient client = server.connect("/ws/me/ann");
            client.sendText("?");
            assertThat(client.expectText()).isEqualTo("ann user false subprotocol false groups []");
        }
    }
}
