/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.routing.Router;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Decision;
import io.switchboard.session.Handlers;
import io.switchboard.session.Session;
import io.switchboard.session.WebSocketHandler;
import io.switchboard.testkit.ClientEvent;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.Recorder;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A handler's life over real sockets: connect decides, messages arrive, disconnect ends it. */
class HandlerLifecycleTest {

    private final Recorder<String> calls = new Recorder<>("handler calls");

    /** Records each callback; {@code decide} chooses what connect answers. */
    private final class Recording implements WebSocketHandler {
        private final Function<Session, Decision> decide;
        private int received;

        Recording(Function<Session, Decision> decide) {
            this.decide = decide;
        }

        @Override
        public Decision onConnect(Session session) {
            calls.record("connect " + session.scope().path());
            return decide.apply(session);
        }

        @Override
        public void onText(Session session, String text) {
            calls.record("text " + text);
            session.send("#" + ++received + " " + text);
        }

        @Override
        public void onBinary(Session session, byte[] data) {
            calls.record("binary " + data.length);
            session.send(data);
        }

        @Override
        public void onDisconnect(Session session, CloseStatus status) {
            calls.record("disconnect " + status.code() + " " + status.reason());
        }
    }

    private Router router(Function<Session, Decision> decide) {
        return Router.builder()
                .websocket("/ws/{name}", () -> new Recording(decide))
                .build();
    }

    @Test
    void anAcceptedConnectionGetsItsMessagesInOrderThenDisconnectWithTheClientsStatus() {
        try (TestServer server = TestServer.start(router(session -> Decision.accept()))) {
            TestClient client = server.connect("/ws/ann");
            client.sendText("one");
            client.sendBinary(new byte[] {1, 2, 3});
            client.sendText("two");
            assertThat(client.expectText()).isEqualTo("#1 one");
            assertThat(client.expectBinary()).containsExactly(1, 2, 3);
            assertThat(client.expectText()).isEqualTo("#2 two");
            client.sendClose(4001, "done");
            assertThat(client.expectClosed()).isEqualTo(new ClientEvent.Closed(4001, ""));

            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("connect /ws/ann");
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("text one");
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("binary 3");
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("text two");
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("disconnect 4001 done");
            calls.assertEmpty();
        }
    }

    @Test
    void eachConnectionHasAHandlerOfItsOwn() {
        try (TestServer server = TestServer.start(router(session -> Decision.accept()))) {
            TestClient ann = server.connect("/ws/ann");
            TestClient bob = server.connect("/ws/bob");
            ann.sendText("a");
            bob.sendText("b");
            ann.sendText("a");
            assertThat(ann.expectText()).isEqualTo("#1 a");
            assertThat(ann.expectText()).isEqualTo("#2 a");
            assertThat(bob.expectText()).isEqualTo("#1 b");
        }
    }

    @Test
    void aRejectedConnectionSeesTheStatusAndDisconnectNeverRuns() {
        Router router = router(session -> session.scope().pathParam("name").equals("mallory")
                ? Decision.reject(403, "members only")
                : Decision.accept());
        try (TestServer server = TestServer.start(router)) {
            assertThat(server.refusedStatus("/ws/mallory")).isEqualTo(403);
            try (RawClient raw = server.raw()) {
                RawClient.HttpHead refused = raw.upgrade("/ws/mallory");
                assertThat(refused.status()).isEqualTo(403);
                assertThat(refused.body()).isEqualTo("members only\n");
                raw.expectEof();
            }
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("connect /ws/mallory");
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("connect /ws/mallory");

            // A later connection's whole life is recorded with nothing of the rejected ones between.
            TestClient ann = server.connect("/ws/ann");
            ann.sendClose(1000, "");
            assertThat(ann.expectClosed().code()).isEqualTo(1000);
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("connect /ws/ann");
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("disconnect 1000 ");
            calls.assertEmpty();
        }
    }

    @Test
    void sendsMadeInConnectArriveRightAfterTheHandshakeInOrderBeforeGroupTraffic() {
        Router router = router(session -> {
            session.join("lobby").toCompletableFuture().join();
            session.hub().broadcast("lobby", io.switchboard.session.Message.text("broadcast in connect"));
            session.send("welcome 1");
            session.send(new byte[] {2});
            session.sendJson(java.util.Map.of("welcome", 3));
            return Decision.accept();
        });
        try (TestServer server = TestServer.start(router)) {
            TestClient ann = server.connect("/ws/ann");
            assertThat(ann.expectText()).isEqualTo("welcome 1");
            assertThat(ann.expectBinary()).containsExactly(2);
            assertThat(ann.expectText()).isEqualTo("{\"welcome\":3}");
            assertThat(ann.expectText()).isEqualTo("broadcast in connect");

            // The join made in connect took effect: the group reaches the session afterwards too.
            server.server().hub().broadcast("lobby", io.switchboard.session.Message.text("later"));
            assertThat(ann.expectText()).isEqualTo("later");
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("connect /ws/ann");
        }
    }

    @Test
    void aCloseRequestedInConnectIsSentRightAfterTheHandshake() {
        Router router = router(session -> {
            session.send("about to close");
            session.close(4000, "not today");
            return Decision.accept();
        });
        try (TestServer server = TestServer.start(router)) {
            TestClient ann = server.connect("/ws/ann");
            assertThat(ann.expectText()).isEqualTo("about to close");
            assertThat(ann.expectClosed()).isEqualTo(new ClientEvent.Closed(4000, "not today"));
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("connect /ws/ann");
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("disconnect 4000 not today");
        }
    }

    @Test
    void aConnectThatThrowsOrDecidesNothingIsRefusedWith500AndLoggedOnce() {
        Router router = router(session -> {
            if (session.scope().pathParam("name").equals("null")) {
                return null;
            }
            throw new IllegalStateException("connect exploded");
        });
        try (LogCapture log = LogCapture.start();
                TestServer server = TestServer.start(router)) {
            assertThat(server.refusedStatus("/ws/boom")).isEqualTo(500);
            assertThat(server.refusedStatus("/ws/null")).isEqualTo(500);
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("connect /ws/boom");
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("connect /ws/null");
            assertThat(log.linesWith("onConnect for /ws/boom failed")).hasSize(1);
            assertThat(log.linesWith("onConnect for /ws/null failed")).hasSize(1);
        }
    }

    @Test
    void aHandlerThatClosesIsHeardByTheClientAndDisconnectGetsItsOwnStatus() {
        Router router = Router.builder()
                .websocket("/ws/closer", Handlers.of(ws -> ws.onText((session, text) -> session.close(4500, text))
                        .onDisconnect((session, status) -> calls.record("disconnect " + status))))
                .build();
        try (TestServer server = TestServer.start(router)) {
            TestClient client = server.connect("/ws/closer");
            client.sendText("bye now");
            assertThat(client.expectClosed()).isEqualTo(new ClientEvent.Closed(4500, "bye now"));
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("disconnect " + CloseStatus.of(4500, "bye now"));
        }
    }

    @Test
    void aConnectionRejectedAfterJoiningInConnectLeavesNoMembership() {
        Router router = router(session -> {
            session.join("lobby").toCompletableFuture().join();
            return Decision.reject(403, "changed my mind");
        });
        try (TestServer server = TestServer.start(router)) {
            assertThat(server.refusedStatus("/ws/ann")).isEqualTo(403);
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("connect /ws/ann");
            assertThat(server.server()
                            .hub()
                            .members("lobby")
                            .toCompletableFuture()
                            .join())
                    .isEmpty();
        }
    }

    @Test
    void aClientThatLeavesWhileConnectRunsIsDisconnectedWith1006AndLeavesItsGroups() throws Exception {
        CountDownLatch gone = new CountDownLatch(1);
        Router router = router(session -> {
            session.join("lobby").toCompletableFuture().join();
            try {
                gone.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Decision.accept();
        });
        RecordingEngine engine = new RecordingEngine();
        try (TestServer server = TestServer.start(b -> b.router(router).engine(engine))) {
            try (RawClient raw = server.raw()) {
                raw.writeRaw(("GET /ws/ann HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                + "Sec-WebSocket-Key: " + RawClient.newKey() + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("connect /ws/ann");
            }
            gone.countDown();
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("disconnect 1006 ");
            engine.nextDisconnected();
            assertThat(server.server()
                            .hub()
                            .members("lobby")
                            .toCompletableFuture()
                            .join())
                    .isEmpty();
        }
    }

    @Test
    void aClientThatVanishesIsDisconnectedWith1006() {
        try (TestServer server = TestServer.start(router(session -> Decision.accept()));
                RawClient raw = server.raw()) {
            assertThat(raw.upgrade("/ws/ghost").status()).isEqualTo(101);
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("connect /ws/ghost");
            raw.close();
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("disconnect 1006 ");
        }
    }

    @Test
    void aHandlerThatTakesNoTextOrBinaryClosesWith1003() {
        Router router = Router.builder()
                .websocket("/ws/silent", () -> new WebSocketHandler() {})
                .build();
        try (TestServer server = TestServer.start(router)) {
            TestClient text = server.connect("/ws/silent");
            text.sendText("hello?");
            assertThat(text.expectClosed())
                    .isEqualTo(new ClientEvent.Closed(1003, "text messages are not accepted here"));
            TestClient binary = server.connect("/ws/silent");
            binary.sendBinary(new byte[] {1});
            assertThat(binary.expectClosed())
                    .isEqualTo(new ClientEvent.Closed(1003, "binary messages are not accepted here"));
        }
    }

    @Test
    void lambdaHandlersKeepPerConnectionStateInAttributes() {
        Router router = Router.builder()
                .websocket("/ws/count", Handlers.of(ws -> ws.onOpen(
                                session -> session.attributes().put("n", 0))
                        .onText((session, text) -> {
                            int n = (int) session.attributes().merge("n", 1, (a, b) -> (int) a + (int) b);
                            session.send(text + n);
                        })))
                .build();
        try (TestServer server = TestServer.start(router)) {
            TestClient ann = server.connect("/ws/count");
            TestClient bob = server.connect("/ws/count");
            ann.sendText("a");
            ann.sendText("a");
            bob.sendText("b");
            assertThat(ann.expectText()).isEqualTo("a1");
            assertThat(ann.expectText()).isEqualTo("a2");
            assertThat(bob.expectText()).isEqualTo("b1");
        }
    }

    @Test
    void onOpenRunsAfterTheHandshakeAndTheConnectTimeSendsBeforeAnyMessage() {
        Router router = Router.builder()
                .websocket("/ws/open", Handlers.of(ws -> ws.onConnect(session -> {
                            session.send("welcome");
                            calls.record("connect open " + session.isOpen());
                            return Decision.accept();
                        })
                        .onOpen(session -> {
                            calls.record("open " + session.isOpen());
                            session.send("opened");
                        })
                        .onText(Session::send)))
                .build();
        try (TestServer server = TestServer.start(router)) {
            TestClient client = server.connect("/ws/open");
            client.sendText("hi"); // before onOpen may have run: it still comes after
            assertThat(client.expectText()).isEqualTo("welcome");
            assertThat(client.expectText()).isEqualTo("opened");
            assertThat(client.expectText()).isEqualTo("hi");
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("connect open false");
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("open true");
        }
    }

    @Test
    void onOpenDoesNotRunForAConnectionClosedInConnect() {
        Router router = Router.builder()
                .websocket("/ws/shut", Handlers.of(ws -> ws.onConnect(session -> {
                            session.close(4000, "not today");
                            return Decision.accept();
                        })
                        .onOpen(session -> calls.record("open"))
                        .onDisconnect((session, status) -> calls.record("disconnect " + status.code()))))
                .build();
        try (TestServer server = TestServer.start(router)) {
            TestClient client = server.connect("/ws/shut");
            assertThat(client.expectClosed().code()).isEqualTo(4000);
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("disconnect 4000");
        }
    }
}
