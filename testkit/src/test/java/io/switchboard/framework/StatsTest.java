/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.routing.Router;
import io.switchboard.routing.WebSocketOptions;
import io.switchboard.session.Address;
import io.switchboard.session.Decision;
import io.switchboard.session.Execution;
import io.switchboard.session.Handlers;
import io.switchboard.session.Message;
import io.switchboard.session.Session;
import io.switchboard.settings.Limits;
import io.switchboard.settings.RateLimit;
import io.switchboard.settings.RateLimitPolicy;
import io.switchboard.settings.SlowConsumerPolicy;
import io.switchboard.stats.Refusal;
import io.switchboard.stats.ServerStats;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.Recorder;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * What a server counts ({@link ServerStats}) against what scripted clients did over real sockets:
 * each count moves by exactly that. The counts are taken on the server before what a client sees
 * (a reply, an answer, the handler's disconnect), so each check waits on that event, never on time.
 */
class StatsTest {

    /** What {@code /ws/welcome} sends in {@code onConnect}: 100 KiB, more than {@link #smallBuffer} holds. */
    private static final int WELCOMES = 100;

    private final Recorder<Integer> disconnects = new Recorder<>("disconnect codes");
    private final Recorder<String> notes = new Recorder<>("handler");
    private final Recorder<Address> joined = new Recorder<>("joined");

    private final Router router = Router.builder()
            .websocket("/ws/echo", Handlers.of(ws -> ws.onText((session, text) -> {
                        if (text.equals("kick")) {
                            session.close(1008, "kicked");
                        } else {
                            session.send(text);
                        }
                    })
                    .onBinary(Session::send)
                    .onDisconnect((session, status) -> disconnects.record(status.code()))))
            .websocket(
                    "/ws/room",
                    Handlers.of(ws ->
                            ws.onText((session, text) -> session.join("room").thenRun(() -> session.send("joined")))))
            .websocket(
                    "/ws/partner",
                    Handlers.of(ws -> ws.onText(Session::send)),
                    WebSocketOptions.DEFAULTS.withAllowedOrigins(List.of("https://partner.example")))
            .websocket("/ws/broken", () -> {
                throw new IllegalStateException("no handler today");
            })
            .websocket("/ws/members-only", Handlers.of(ws -> ws.onConnect(session -> Decision.reject(403, "no"))))
            .websocket("/ws/gone", Handlers.of(ws -> ws.onConnect(session -> Decision.reject(404, "no such room"))))
            .websocket(
                    "/ws/join",
                    Handlers.of(ws ->
                            ws.onText((session, group) -> session.join(group).thenRun(() -> {
                                joined.record(session.address());
                                session.send("joined " + group);
                            }))))
            .websocket("/ws/welcome", Handlers.of(ws -> ws.onConnect(session -> {
                        String kilobyte = "w".repeat(1024);
                        for (int i = 0; i < WELCOMES; i++) {
                            session.send(kilobyte); // taken while connecting: whether it fits shows later
                        }
                        return Decision.accept();
                    })
                    .onText(Session::send)))
            .websocket(
                    "/ws/limited",
                    Handlers.of(ws -> ws.onText(Session::send)),
                    WebSocketOptions.DEFAULTS.withRateLimit(
                            RateLimit.of(1, 3).withPolicy(RateLimitPolicy.DROP).withReply("slow down")))
            .websocket("/ws/flood", Handlers.of(ws -> ws.onText((session, text) -> {
                        String kilobyte = "k".repeat(1024);
                        int sent = 0;
                        while (sent < 100_000 && session.send(kilobyte)) {
                            sent++;
                        }
                        notes.record("refused after " + sent);
                    })
                    .onDisconnect((session, status) -> disconnects.record(status.code()))
                    .execution(Execution.EVENT_LOOP)))
            .build();

    private TestServer serve(boolean counting) {
        return serve(counting, UnaryOperator.identity());
    }

    private TestServer serve(boolean counting, UnaryOperator<Limits> limits) {
        return TestServer.start(b -> b.router(router).stats(counting).limits(limits.apply(Limits.defaults())));
    }

    @Test
    void messagesAndBytesInAndOutAreTheClientsOwn() {
        try (TestServer server = serve(true)) { // closing it drops its clients
            TestClient client = server.connect("/ws/echo");
            client.sendText("a");
            assertThat(client.expectText()).isEqualTo("a");
            client.sendText("héllo"); // 6 bytes in UTF-8
            assertThat(client.expectText()).isEqualTo("héllo");
            client.sendBinary(new byte[] {1, 2, 3, 4, 5});
            assertThat(client.expectBinary()).hasSize(5);

            ServerStats stats = server.server().stats();
            assertThat(stats.enabled()).isTrue();
            assertThat(stats.openConnections()).isEqualTo(1);
            assertThat(stats.connectionsOpened()).isEqualTo(1);
            assertThat(stats.messagesIn()).isEqualTo(3);
            assertThat(stats.bytesIn()).isEqualTo(1 + 6 + 5);
            assertThat(stats.messagesOut()).isEqualTo(3);
            assertThat(stats.bytesOut()).isEqualTo(1 + 6 + 5);
            assertThat(stats.deliveries()).isZero();
        }
    }

    @Test
    void aBroadcastToMMembersIsMDeliveries() {
        try (TestServer server = serve(true)) {
            List<TestClient> members = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                TestClient member = server.connect("/ws/room");
                members.add(member);
                member.sendText("join");
                assertThat(member.expectText()).isEqualTo("joined");
            }
            server.server().hub().broadcast("room", Message.text("news!"));
            for (TestClient member : members) {
                assertThat(member.expectText()).isEqualTo("news!");
            }
            ServerStats stats = server.server().stats();
            assertThat(stats.deliveries()).isEqualTo(3);
            assertThat(stats.messagesIn()).isEqualTo(3);
            assertThat(stats.messagesOut()).as("3 replies and 3 deliveries").isEqualTo(6);
            assertThat(stats.bytesOut()).isEqualTo(3 * "joined".length() + 3 * "news!".length());
        }
    }

    @Test
    void aBroadcastExceptOneOfMMembersIsMMinusOneDeliveries() {
        try (TestServer server = serve(true)) {
            List<TestClient> members = new ArrayList<>();
            List<Address> addresses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                TestClient member = server.connect("/ws/join");
                member.sendText("room");
                assertThat(member.expectText()).isEqualTo("joined room");
                addresses.add(joined.next(Recorder.DEFAULT_TIMEOUT));
                members.add(member);
            }
            server.server().hub().broadcast("room", Message.text("not you"), addresses.get(0));
            server.server().hub().broadcast("room", Message.text("all"));
            assertThat(members.get(0).expectText())
                    .as("the first broadcast left it out")
                    .isEqualTo("all");
            for (TestClient member : members.subList(1, 3)) {
                assertThat(member.expectText()).isEqualTo("not you");
                assertThat(member.expectText()).isEqualTo("all");
            }
            ServerStats stats = server.server().stats();
            assertThat(stats.deliveries()).isEqualTo(2 + 3);
            assertThat(stats.messagesOut()).as("3 replies and 5 deliveries").isEqualTo(8);
            assertThat(stats.bytesOut())
                    .isEqualTo(3 * "joined room".length() + 2 * "not you".length() + 3 * "all".length());
        }
    }

    @Test
    void aBroadcastToABackedUpMemberUnderTheDropPolicyIsDroppedNotDelivered() {
        UnaryOperator<Limits> dropping =
                l -> smallBuffer(l).withBuffers(b -> b.withSlowConsumerPolicy(SlowConsumerPolicy.DROP));
        // One event loop, so one fan-out shard: a broadcast to the reader that follows those to the
        // stalled member is written after every one of them was written or dropped, and counted.
        try (TestServer server = TestServer.start(
                        b -> b.router(router).stats(true).ioThreads(1).limits(dropping.apply(Limits.defaults())));
                RawClient stalled = server.raw()) {
            assertThat(stalled.upgrade("/ws/join").status()).isEqualTo(101);
            stalled.sendText("room");
            assertThat(stalled.readFrame().text()).isEqualTo("joined room"); // and reads nothing more
            TestClient reader = server.connect("/ws/join");
            reader.sendText("last");
            assertThat(reader.expectText()).isEqualTo("joined last");

            int size = 256 * 1024;
            int broadcasts = 128; // 32 MiB: more than the socket buffers take, so the member backs up
            Message big = Message.text("b".repeat(size));
            for (int i = 0; i < broadcasts; i++) {
                server.server().hub().broadcast("room", big);
            }
            server.server().hub().broadcast("last", Message.text("done"));
            assertThat(reader.expectText()).isEqualTo("done");

            ServerStats stats = server.server().stats();
            assertThat(stats.slowConsumerDrops()).isPositive();
            assertThat(stats.slowConsumerCloses()).isZero();
            assertThat(stats.deliveries() + stats.slowConsumerDrops())
                    .as("each broadcast to the stalled member written or dropped, and the reader's one")
                    .isEqualTo(broadcasts + 1);
            long written = stats.deliveries() - 1;
            assertThat(stats.bytesOut())
                    .isEqualTo("joined room".length() + "joined last".length() + written * size + "done".length());
        }
    }

    @Test
    void sendsInOnConnectPastTheBufferAreDroppedAndNotCountedAsSent() {
        UnaryOperator<Limits> dropping =
                l -> smallBuffer(l).withBuffers(b -> b.withSlowConsumerPolicy(SlowConsumerPolicy.DROP));
        // A raw client: the JDK's may lose a burst right behind the 101 (see TestClient).
        try (TestServer server = serve(true, dropping);
                RawClient client = server.raw()) {
            assertThat(client.upgrade("/ws/welcome").status()).isEqualTo(101);
            client.sendText("end");
            int welcomed = 0;
            while (!client.readFrame().text().equals("end")) {
                welcomed++;
            }
            assertThat(welcomed)
                    .as("what fits the 64 KiB held while connecting")
                    .isEqualTo(64);
            ServerStats stats = server.server().stats();
            assertThat(stats.messagesOut()).isEqualTo(welcomed + 1);
            assertThat(stats.bytesOut()).isEqualTo(welcomed * 1024L + "end".length());
            assertThat(stats.slowConsumerDrops()).isEqualTo(WELCOMES - welcomed);
            assertThat(stats.slowConsumerCloses()).isZero();
        }
    }

    @Test
    void closesAreCountedByTheirCode() {
        try (TestServer server = serve(true)) {
            TestClient polite = server.connect("/ws/echo");
            polite.sendClose(1000, "bye");
            assertThat(polite.expectClosed().code()).isEqualTo(1000);
            assertThat(disconnects.next(Recorder.DEFAULT_TIMEOUT)).isEqualTo(1000);

            TestClient kicked = server.connect("/ws/echo");
            kicked.sendText("kick");
            assertThat(kicked.expectClosed().code()).isEqualTo(1008);
            assertThat(disconnects.next(Recorder.DEFAULT_TIMEOUT)).isEqualTo(1008);

            TestClient odd = server.connect("/ws/echo");
            odd.sendClose(4321, "mine");
            assertThat(odd.expectClosed().code()).isEqualTo(4321);
            assertThat(disconnects.next(Recorder.DEFAULT_TIMEOUT)).isEqualTo(4321);

            try (RawClient dropped = server.raw()) {
                assertThat(dropped.upgrade("/ws/echo").status()).isEqualTo(101);
                dropped.abort();
                assertThat(disconnects.next(Recorder.DEFAULT_TIMEOUT)).isEqualTo(1006);
            }
            ServerStats stats = server.server().stats();
            assertThat(stats.connectionsOpened()).isEqualTo(4);
            assertThat(stats.closedByCode())
                    .as("a peer's 4321 is 'other' (0): clients do not make up keys")
                    .isEqualTo(Map.of(1000, 1L, 1008, 1L, 0, 1L, 1006, 1L));
        }
    }

    @Test
    void refusedUpgradesAreCountedByReasonAndPlainRequestsAreNot() {
        try (TestServer server = serve(true)) {
            assertThat(upgrade(server, "/ws/partner", Map.of("Origin", "https://evil.example")))
                    .isEqualTo(403);
            assertThat(upgrade(server, "/ws/nowhere", Map.of())).isEqualTo(404);
            assertThat(upgrade(server, "/ws/echo", Map.of("Sec-WebSocket-Version", "12")))
                    .isEqualTo(426);
            assertThat(upgrade(server, "/ws/echo", Map.of("Sec-WebSocket-Key", "short")))
                    .isEqualTo(400);
            assertThat(upgrade(server, "/ws/members-only", Map.of())).isEqualTo(403);
            assertThat(upgrade(server, "/ws/gone", Map.of()))
                    .as("the handler's own 404")
                    .isEqualTo(404);
            assertThat(upgrade(server, "/ws/broken", Map.of())).isEqualTo(500);
            assertThat(server.get("/nowhere").statusCode()).isEqualTo(404); // not an upgrade
            assertThat(server.get("/ws/echo").statusCode()).isEqualTo(426); // nor this

            Map<Refusal, Long> refused = server.server().stats().refusedByReason();
            assertThat(refused)
                    .containsEntry(Refusal.ORIGIN, 1L)
                    .containsEntry(Refusal.NOT_FOUND, 2L)
                    .containsEntry(Refusal.BAD_REQUEST, 2L)
                    .containsEntry(Refusal.AUTH, 1L)
                    .containsEntry(Refusal.LIMITS, 0L)
                    .containsEntry(Refusal.DRAINING, 0L)
                    .containsEntry(Refusal.ERROR, 1L);
            assertThat(server.server().stats().connectionsOpened()).isZero();
        }
    }

    @Test
    void aConnectionOverTheLimitIsRefusedForLimits() {
        try (TestServer server = serve(true, l -> l.withCapacity(c -> c.withMaxConnectionsPerAddress(1)))) {
            server.connect("/ws/echo");
            assertThat(upgrade(server, "/ws/echo", Map.of())).isEqualTo(429);
            assertThat(server.server().stats().refusedByReason()).containsEntry(Refusal.LIMITS, 1L);
        }
    }

    @Test
    void anUpgradeWhileTheServerDrainsIsRefusedForDraining() throws Exception {
        try (TestServer server = serve(true);
                RawClient held = server.raw();
                RawClient late = server.raw()) {
            assertThat(held.upgrade("/ws/echo").status()).isEqualTo(101);
            // A kept-alive connection the server has surely accepted, before it stops listening.
            assertThat(late.request("GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                            .status())
                    .isEqualTo(404);

            Thread closing = Thread.ofVirtual().start(() -> server.server().close(Duration.ofSeconds(30)));
            assertThat(held.expectClose().closeCode()).as("the drain has begun").isEqualTo(1001);
            assertThat(late.upgrade("/ws/echo").status()).isEqualTo(503);
            held.sendClose(1001, ""); // the drain's last session answers: the close returns
            assertThat(closing.join(Duration.ofSeconds(30))).isTrue();

            ServerStats stats = server.server().stats();
            assertThat(stats.refusedByReason()).containsEntry(Refusal.DRAINING, 1L);
            assertThat(stats.closedByCode()).isEqualTo(Map.of(1001, 1L));
        }
    }

    private static int upgrade(TestServer server, String path, Map<String, String> headers) {
        try (RawClient raw = server.raw()) {
            return raw.upgrade(path, headers).status();
        }
    }

    @Test
    void messagesOverTheRateLimitAreCounted() {
        try (TestServer server = serve(true)) {
            TestClient client = server.connect("/ws/limited");
            for (int i = 0; i < 5; i++) {
                client.sendText("m" + i);
            }
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                answers.add(client.expectText());
            }
            // The replies are the loop's, the echoes the handler's: they may come in either order.
            assertThat(answers).containsExactlyInAnyOrder("m0", "m1", "m2", "slow down", "slow down");
            ServerStats stats = server.server().stats();
            assertThat(stats.rateLimited()).isEqualTo(2);
            assertThat(stats.messagesIn())
                    .as("dropped messages never reach the handler")
                    .isEqualTo(3);
            assertThat(stats.messagesOut()).as("3 echoes and 2 replies").isEqualTo(5);
        }
    }

    @Test
    void aSlowConsumerClosedIsCounted() {
        try (TestServer server = serve(true, StatsTest::smallBuffer);
                RawClient raw = server.raw()) {
            assertThat(raw.upgrade("/ws/flood").status()).isEqualTo(101);
            raw.sendText("go"); // and read nothing
            assertThat(notes.next(Recorder.DEFAULT_TIMEOUT)).startsWith("refused after ");
            assertThat(disconnects.next(Recorder.DEFAULT_TIMEOUT)).isEqualTo(1008);
            ServerStats stats = server.server().stats();
            assertThat(stats.slowConsumerCloses()).isEqualTo(1);
            assertThat(stats.slowConsumerDrops()).isZero();
            assertThat(stats.closedByCode()).isEqualTo(Map.of(1008, 1L));
        }
    }

    @Test
    void aSlowConsumersDroppedMessageIsCounted() {
        UnaryOperator<Limits> dropping =
                l -> smallBuffer(l).withBuffers(b -> b.withSlowConsumerPolicy(SlowConsumerPolicy.DROP));
        try (TestServer server = serve(true, dropping);
                RawClient raw = server.raw()) {
            assertThat(raw.upgrade("/ws/flood").status()).isEqualTo(101);
            raw.sendText("go"); // and read nothing
            String refused = notes.next(Recorder.DEFAULT_TIMEOUT);
            long sent = Long.parseLong(refused.substring("refused after ".length()));
            ServerStats stats = server.server().stats();
            assertThat(stats.slowConsumerDrops())
                    .as("the handler stops at the first send dropped")
                    .isEqualTo(1);
            assertThat(stats.slowConsumerCloses()).isZero();
            assertThat(stats.messagesOut()).isEqualTo(sent);
            assertThat(stats.bytesOut()).isEqualTo(sent * 1024);
        }
    }

    private static Limits smallBuffer(Limits limits) {
        return limits.withBuffers(b -> b.withOutboundBufferBytes(64 * 1024));
    }

    @Test
    void withCountingOffNothingIsCountedButOpenConnections() {
        try (TestServer server = serve(false)) {
            TestClient client = server.connect("/ws/echo");
            client.sendText("hello");
            assertThat(client.expectText()).isEqualTo("hello");
            assertThat(server.server().stats().openConnections()).isEqualTo(1);
            client.sendClose(1000, "bye");
            assertThat(client.expectClosed().code()).isEqualTo(1000);
            assertThat(disconnects.next(Recorder.DEFAULT_TIMEOUT)).isEqualTo(1000);
            assertThat(upgrade(server, "/ws/nowhere", Map.of())).isEqualTo(404);

            ServerStats stats = server.server().stats();
            assertThat(stats.enabled()).isFalse();
            assertThat(stats.connectionsOpened()).isZero();
            assertThat(stats.messagesIn()).isZero();
            assertThat(stats.bytesIn()).isZero();
            assertThat(stats.messagesOut()).isZero();
            assertThat(stats.bytesOut()).isZero();
            assertThat(stats.closedByCode()).isEmpty();
            assertThat(stats.refusedByReason().values()).containsOnly(0L);
        }
    }
}
