/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.routing.Router;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Decision;
import io.switchboard.session.Event;
import io.switchboard.session.Handlers;
import io.switchboard.session.MemberInfo;
import io.switchboard.session.Message;
import io.switchboard.session.Scope;
import io.switchboard.session.Session;
import io.switchboard.session.User;
import io.switchboard.session.WebSocketHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The communicator: a handler driven in process, with no sockets. */
class CommunicatorTest {

    private static final Duration QUIET = Duration.ofMillis(100);
    private static final Supplier<WebSocketHandler> ECHO =
            Handlers.of(ws -> ws.onText(Session::send).onBinary(Session::send));

    record Greeting(String to, int times) {}

    /** A handler that completes a future with the status its disconnect gets. */
    static final class Watched implements WebSocketHandler {
        final CompletableFuture<CloseStatus> disconnected = new CompletableFuture<>();
        final Handlers.ConnectCallback onConnect;
        final Handlers.Callback<String> onText;

        Watched(Handlers.ConnectCallback onConnect, Handlers.Callback<String> onText) {
            this.onConnect = onConnect;
            this.onText = onText;
        }

        @Override
        public Decision onConnect(Session session) throws Exception {
            return onConnect.onConnect(session);
        }

        @Override
        public void onText(Session session, String text) throws Exception {
            onText.accept(session, text);
        }

        @Override
        public void onDisconnect(Session session, CloseStatus status) {
            disconnected.complete(status);
        }

        CloseStatus awaitDisconnect() throws Exception {
            return disconnected.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anAcceptedConnectionEchoesTextBinaryAndJson() {
        try (Communicator client = Communicator.of(ECHO, "/ws/echo")) {
            assertThat(client.connect()).isEqualTo(Decision.accept());
            assertThat(client.session().isOpen()).isTrue();

            client.sendText("hello");
            assertThat(client.receiveText()).isEqualTo("hello");
            client.sendBinary(new byte[] {1, 2, 3});
            assertThat(client.receiveBinary()).containsExactly(1, 2, 3);
            client.sendJson(new Greeting("ann", 2));
            assertThat(client.receiveJson(Greeting.class)).isEqualTo(new Greeting("ann", 2));
            client.sendText("generic");
            assertThat(client.receive()).isEqualTo(Message.text("generic"));
        }
    }

    @Test
    void aRejectedConnectionNeverOpensAndNeverDisconnects() {
        Watched handler = new Watched(session -> Decision.reject(403, "no entry"), (s, t) -> {});
        try (Communicator client = Communicator.of(() -> handler, "/ws/private")) {
            assertThat(client.connect()).isEqualTo(Decision.reject(403, "no entry"));
            assertThat(client.session().isOpen()).isFalse();
        }
        assertThat(handler.disconnected).isNotDone();
    }

    @Test
    void connectAcceptedFailsWhenTheHandlerRejects() {
        try (Communicator client = Communicator.of(
                Handlers.of(ws -> ws.onConnect(session -> Decision.reject(401, "who are you"))), "/ws")) {
            assertThatThrownBy(client::connectAccepted)
                    .isInstanceOf(AssertionError.class)
                    .hasMessage("expected the handler to accept but it decided Reject[status=401, reason=who are you]");
        }
    }

    @Test
    void theHandlerSeesTheScopeAndTheUser() {
        Scope scope = Scope.builder("/ws/chat/lobby")
                .pathParams(Map.of("room", "lobby"))
                .query("since", "5")
                .build();
        Supplier<WebSocketHandler> handler = Handlers.of(
                ws -> ws.onOpen(session -> session.send(session.scope().pathParam("room") + " "
                        + session.scope().queryParam("since").orElseThrow() + " "
                        + session.user().map(User::name).orElse("anonymous"))));
        try (Communicator client = Communicator.of(handler, scope).asUser(User.named("ann"))) {
            client.connectAccepted();

            assertThat(client.receiveText()).isEqualTo("lobby 5 ann");
            assertThat(client.session().user()).contains(User.named("ann"));
        }
    }

    @Test
    void expectNothingPassesWhenTheHandlerIsSilentAndFailsWhenItSpeaks() {
        Supplier<WebSocketHandler> handler = Handlers.of(ws -> ws.onText((session, text) -> {
            if (text.equals("speak")) {
                session.send("spoken");
            }
        }));
        try (Communicator client = Communicator.of(handler, "/ws")) {
            client.connectAccepted();

            client.sendText("quiet");
            client.expectNothing(QUIET);

            client.sendText("speak");
            assertThatThrownBy(() -> client.expectNothing(Duration.ofSeconds(10)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessage("communicator: expected nothing but got Text[text=spoken]");
        }
    }

    @Test
    void whenTheHandlerClosesTheTestSeesTheCloseAndThenDisconnectRuns() throws Exception {
        Watched handler = new Watched(session -> Decision.accept(), (session, text) -> {
            session.send("last words");
            session.close(4001, "bye");
            assertThat(session.send("after close")).isFalse();
        });
        try (Communicator client = Communicator.of(() -> handler, "/ws")) {
            client.connectAccepted();

            client.sendText("go away");

            assertThat(client.receiveText()).isEqualTo("last words");
            assertThat(client.expectClosed()).isEqualTo(CloseStatus.of(4001, "bye"));
            assertThat(handler.awaitDisconnect()).isEqualTo(CloseStatus.of(4001, "bye"));
            assertThat(client.session().isOpen()).isFalse();
            assertThat(client.session().closeFuture().toCompletableFuture().getNow(null))
                    .isEqualTo(CloseStatus.of(4001, "bye"));
            client.expectNothing(QUIET);
        }
    }

    @Test
    void whenTheHandlerClosesInConnectDisconnectStillRuns() throws Exception {
        Watched handler = new Watched(
                session -> {
                    session.close(4002, "not today");
                    return Decision.accept();
                },
                (s, t) -> {});
        try (Communicator client = Communicator.of(() -> handler, "/ws")) {
            client.connectAccepted();

            assertThat(client.expectClosed()).isEqualTo(CloseStatus.of(4002, "not today"));
            assertThat(handler.awaitDisconnect()).isEqualTo(CloseStatus.of(4002, "not today"));
        }
    }

    @Test
    void theClientDisconnectingRunsDisconnectWithItsStatus() throws Exception {
        Watched handler = new Watched(session -> Decision.accept(), (s, t) -> {});
        try (Communicator client = Communicator.of(() -> handler, "/ws")) {
            client.connectAccepted();

            client.disconnect(CloseStatus.of(1001, "tab closed"));

            assertThat(handler.disconnected).isCompletedWithValue(CloseStatus.of(1001, "tab closed"));
            assertThat(client.session().isOpen()).isFalse();
        }
    }

    @Test
    void closingTheCommunicatorDisconnectsWith1000() throws Exception {
        Watched handler = new Watched(session -> Decision.accept(), (s, t) -> {});
        try (Communicator client = Communicator.of(() -> handler, "/ws")) {
            client.connectAccepted();
        }
        assertThat(handler.disconnected).isCompletedWithValue(CloseStatus.NORMAL);
    }

    @Test
    void aCallbackThatThrowsClosesWith1011AndLaterMessagesAreSkipped() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Watched handler = new Watched(session -> Decision.accept(), (session, text) -> {
            calls.incrementAndGet();
            throw new IllegalStateException("boom");
        });
        try (Communicator client = Communicator.of(() -> handler, "/ws")) {
            client.connectAccepted();

            client.sendText("one");
            client.sendText("two");

            assertThat(client.expectClosed().code()).isEqualTo(1011);
            assertThat(handler.awaitDisconnect().code()).isEqualTo(1011);
            assertThat(calls).hasValue(1);
        }
    }

    @Test
    void callbacksNeverOverlapAndRunInArrivalOrder() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        Supplier<WebSocketHandler> handler = Handlers.of(ws -> ws.onText((session, text) -> {
                    if (inside.incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                    }
                    session.send("start " + text);
                    if (text.equals("first")) {
                        release.await(10, TimeUnit.SECONDS);
                    }
                    session.send("end " + text);
                    inside.decrementAndGet();
                })
                .onEvent((session, event) -> session.send("event " + event.type())));
        try (Communicator client = Communicator.of(handler, "/ws")) {
            client.connectAccepted();

            client.sendText("first");
            assertThat(client.receiveText()).isEqualTo("start first");
            client.sendText("second");
            client.deliver(Event.of("third", Map.of()));
            client.expectNothing(QUIET); // the first callback still runs; nothing else may start
            release.countDown();

            assertThat(List.of(client.receiveText(), client.receiveText(), client.receiveText(), client.receiveText()))
                    .containsExactly("end first", "start second", "end second", "event third");
            assertThat(overlaps).hasValue(0);
        }
    }

    @Test
    void messagesSentFromManyThreadsAreHandledOneAtATime() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger handled = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(400);
        Supplier<WebSocketHandler> handler = Handlers.of(ws -> ws.onText((session, text) -> {
            if (inside.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
            handled.incrementAndGet();
            inside.decrementAndGet();
            all.countDown();
        }));
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try (Communicator client = Communicator.of(handler, "/ws")) {
            client.connectAccepted();
            for (int t = 0; t < 4; t++) {
                senders.execute(() -> {
                    for (int i = 0; i < 100; i++) {
                        client.sendText("m" + i);
                    }
                });
            }

            assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(handled).hasValue(400);
            assertThat(overlaps).hasValue(0);
        } finally {
            senders.shutdownNow();
        }
    }

    @Test
    void twoCommunicatorsOnOneNodeShareGroupsBroadcastsAndEvents() throws Exception {
        Supplier<WebSocketHandler> chat = Handlers.of(ws -> ws.onOpen(session -> session.join("room"))
                .onText((session, text) -> session.hub().broadcast("room", Message.text(text)))
                .onEvent((session, event) -> session.send("event " + event.type())));
        try (CommunicatorNode node = new CommunicatorNode()) {
            Communicator ann = node.communicator(chat, Scope.builder("/ws/chat").build());
            Communicator bob = node.communicator(chat, Scope.builder("/ws/chat").build());
            ann.connectAccepted();
            bob.connectAccepted();

            ann.sendText("hi all");
            assertThat(ann.receiveText()).isEqualTo("hi all");
            assertThat(bob.receiveText()).isEqualTo("hi all");

            bob.session().hub().event("room", Event.of("ping", 1));
            assertThat(ann.receiveText()).isEqualTo("event ping");
            assertThat(bob.receiveText()).isEqualTo("event ping");

            List<MemberInfo> members =
                    ann.session().hub().members("room").toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(members)
                    .extracting(MemberInfo::address)
                    .containsExactlyInAnyOrder(
                            ann.session().address(), bob.session().address());

            bob.disconnect(CloseStatus.NORMAL);
            assertThat(ann.session().hub().members("room").toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .extracting(MemberInfo::address)
                    .containsExactly(ann.session().address());
            ann.sendText("anyone?");
            assertThat(ann.receiveText()).isEqualTo("anyone?");
            bob.expectNothing(QUIET);

            ann.close();
            bob.close();
        }
    }

    @Test
    void aHeldJoinSendsTheReleasedMessageFirstThenTheBroadcastsItKeeps() {
        Predicate<Message> notOld = message -> !message.equals(Message.text("old"));
        Supplier<WebSocketHandler> holding = Handlers.of(ws -> ws.onText((session, text) -> {
            session.joinHeld("room").toCompletableFuture().get(10, TimeUnit.SECONDS);
            session.hub().broadcast("room", Message.text("old"));
            session.hub().broadcast("room", Message.text("new"));
            session.release("room", Message.text("reply"), notOld);
            session.hub().broadcast("room", Message.text("later"));
            session.hub().broadcast("room", Message.text("old")); // late: the filter stays
        }));
        try (CommunicatorNode node = new CommunicatorNode();
                Communicator ann =
                        node.communicator(holding, Scope.builder("/ws").build())) {
            ann.connectAccepted();
            ann.sendText("subscribe");

            assertThat(ann.receiveText()).isEqualTo("reply");
            assertThat(ann.receiveText()).isEqualTo("new");
            assertThat(ann.receiveText()).isEqualTo("later");
            ann.expectNothing(QUIET);
        }
    }

    @Test
    void aBroadcastCanLeaveTheSenderOut() {
        Supplier<WebSocketHandler> chat = Handlers.of(ws -> ws.onOpen(session -> session.join("room"))
                .onText((session, text) -> session.hub().broadcast("room", Message.text(text), session.address())));
        try (CommunicatorNode node = new CommunicatorNode();
                Communicator ann = node.communicator(chat, Scope.builder("/ws").build());
                Communicator bob = node.communicator(chat, Scope.builder("/ws").build())) {
            ann.connectAccepted();
            bob.connectAccepted();

            ann.sendText("not to me");

            assertThat(bob.receiveText()).isEqualTo("not to me");
            ann.expectNothing(QUIET);
        }
    }

    @Test
    void usersAndAddressesAreReachableAcrossCommunicatorsOfOneNode() throws Exception {
        Supplier<WebSocketHandler> direct = Handlers.of(ws -> ws.onText((session, text) -> {
            int reached = session.hub()
                    .sendToUser("bob", Message.text(text))
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            session.send("reached " + reached);
        }));
        try (CommunicatorNode node = new CommunicatorNode();
                Communicator ann =
                        node.communicator(direct, Scope.builder("/ws/ann").build());
                Communicator bobPhone =
                        node.communicator(direct, Scope.builder("/ws/bob").build());
                Communicator bobLaptop =
                        node.communicator(direct, Scope.builder("/ws/bob").build())) {
            ann.asUser(User.named("ann")).connectAccepted();
            bobPhone.asUser(User.named("bob")).connectAccepted();
            bobLaptop.asUser(User.named("bob")).connectAccepted();

            ann.sendText("for bob");

            assertThat(ann.receiveText()).isEqualTo("reached 2");
            assertThat(bobPhone.receiveText()).isEqualTo("for bob");
            assertThat(bobLaptop.receiveText()).isEqualTo("for bob");

            assertThat(ann.session()
                            .hub()
                            .sendTo(bobPhone.session().address(), Message.text("just the phone"))
                            .toCompletableFuture()
                            .get(10, TimeUnit.SECONDS))
                    .isTrue();
            assertThat(bobPhone.receiveText()).isEqualTo("just the phone");
            bobLaptop.expectNothing(QUIET);
        }
    }

    @Test
    void closeFailsWhenTheTestLeftOutputUnread() {
        Communicator client = Communicator.of(Handlers.of(ws -> ws.onOpen(session -> session.send("welcome"))), "/ws");
        client.connectAccepted();

        assertThatThrownBy(client::close)
                .isInstanceOf(AssertionError.class)
                .hasMessage("communicator: unread events [Text[text=welcome]]");
    }

    @Test
    void closeFailsWhenAnUnexpectedCloseWasLeftUnread() throws Exception {
        Watched handler = new Watched(session -> Decision.accept(), (session, text) -> session.close(4500, "done"));
        Communicator client = Communicator.of(() -> handler, "/ws");
        client.connectAccepted();
        client.sendText("bye");
        handler.awaitDisconnect();

        assertThatThrownBy(client::close)
                .isInstanceOf(AssertionError.class)
                .hasMessage("communicator: unread events [Closed[code=4500, reason=done]]");
    }

    @Test
    void aReceiveThatMeetsACloseFailsSayingSo() {
        try (Communicator client =
                Communicator.of(Handlers.of(ws -> ws.onText((session, text) -> session.close(4500, "done"))), "/ws")) {
            client.connectAccepted();
            client.sendText("x");

            assertThatThrownBy(client::receiveText)
                    .isInstanceOf(AssertionError.class)
                    .hasMessage("communicator: expected Text but got Closed[code=4500, reason=done]");
        }
    }

    @Test
    void aCommunicatorThatNeverConnectedClosesQuietly() {
        Watched handler = new Watched(session -> Decision.accept(), (s, t) -> {});
        Communicator.of(() -> handler, "/ws").close();

        assertThat(handler.disconnected).isNotDone();
    }

    @Test
    void aPathRoutedThroughARouterFillsThePathParametersAndTheQueryAsTheServerDoes() {
        Router router = Router.builder()
                .websocket("/ws/echo", ECHO)
                .websocket(
                        "/rooms/{room}",
                        Handlers.of(ws -> ws.onText(
                                (session, text) -> session.send(session.scope().pathParam("room") + " "
                                        + session.scope().queryParam("since").orElse("-") + " " + text))))
                .build();
        try (Communicator client = Communicator.of(router, "/rooms/kitchen?since=5")) {
            client.connectAccepted();
            client.sendText("hi");

            assertThat(client.receiveText()).isEqualTo("kitchen 5 hi");
            assertThat(client.session().scope().path()).isEqualTo("/rooms/kitchen");
        }
    }

    @Test
    void aPathNoWebSocketRouteMatchesFailsNamingThePath() {
        Router router = Router.builder()
                .websocket("/rooms/{room}", ECHO)
                .http("/health", request -> null)
                .build();
        assertThatThrownBy(() -> Communicator.of(router, "/nowhere"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no WebSocket route matches /nowhere");
        assertThatThrownBy(() -> Communicator.of(router, "/health"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no WebSocket route matches /health");
    }

    @Test
    void aSessionRefusedInConnectTakesNoGroupsAndSendsNothing() {
        Supplier<WebSocketHandler> refusing = Handlers.of(ws -> ws.onConnect(session -> {
            session.join("room");
            return Decision.reject(403, "no");
        }));
        try (CommunicatorNode node = new CommunicatorNode();
                Communicator client =
                        node.communicator(refusing, Scope.builder("/ws").build())) {
            assertThat(client.connect()).isInstanceOf(Decision.Reject.class);
            assertThat(client.session().groups()).isEmpty();
            assertThat(client.session().join("late").toCompletableFuture().join())
                    .isEqualTo(io.switchboard.session.MembershipChange.NONE);
            assertThat(client.session().send("late")).isFalse();
            assertThat(client.session().closeFuture().toCompletableFuture().getNow(null))
                    .isEqualTo(CloseStatus.ABNORMAL);
        }
    }
}
