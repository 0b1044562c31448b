/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.routing.Router;
import io.switchboard.session.Decision;
import io.switchboard.session.Handlers;
import io.switchboard.session.Message;
import io.switchboard.session.Session;
import io.switchboard.settings.Limits;
import io.switchboard.settings.SlowConsumerPolicy;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.Recorder;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Limits over real sockets: frame and message sizes (1009), slow consumers (1008). UTF-8 (1007) is in
 * {@code io.switchboard.conformance.Section6Utf8Test}.
 */
class LimitsTest {

    private final Recorder<String> closes = new Recorder<>("disconnects");

    private final Router router = Router.builder()
            .websocket("/ws/echo", Handlers.of(ws -> ws.onText(Session::send)
                    .onBinary(Session::send)
                    .onConnect(session -> {
                        session.join("all");
                        return Decision.accept();
                    })
                    .onDisconnect((session, status) ->
                            closes.record(session.scope().query().keySet() + " " + status.code()))))
            .build();

    private TestServer serve(Limits limits) {
        return TestServer.start(b -> b.router(router).limits(limits));
    }

    private static RawClient open(TestServer server) {
        RawClient raw = server.raw();
        assertThat(raw.upgrade("/ws/echo").status()).isEqualTo(101);
        return raw;
    }

    /**
     * The server's close frame with {@code code}, answered, then the end of the connection. A
     * protocol violation may have closed TCP already, so the answer may find the socket gone.
     */
    static void expectClose(RawClient raw, int code) {
        RawClient.Frame close = raw.expectClose();
        assertThat(close.closeCode()).as(close.closeReason()).isEqualTo(code);
        try {
            raw.sendClose(code, "");
        } catch (UncheckedIOException e) {
            // already closed by the server: fine
        }
        raw.expectEof();
    }

    private static byte[] bytes(int length) {
        byte[] data = new byte[length];
        Arrays.fill(data, (byte) 'a');
        return data;
    }

    @Test
    void byDefaultFramesAndMessagesUpTo64KiBPassAndOneByteMoreCloses1009() {
        try (TestServer server = serve(Limits.defaults())) {
            TestClient client = server.connect("/ws/echo");
            String biggest = "a".repeat(64 * 1024);
            client.sendText(biggest);
            assertThat(client.expectText()).isEqualTo(biggest);
            client.sendText(biggest + "a");
            assertThat(client.expectClosed().code()).isEqualTo(1009);
        }
    }

    @Test
    void aFrameOverTheLimitCloses1009() {
        try (TestServer server = serve(Limits.defaults()
                        .withMessages(m -> m.withMaxFrameBytes(1000).withMaxMessageBytes(4000)));
                RawClient raw = open(server)) {
            raw.sendBinary(bytes(1000));
            assertThat(raw.readFrame().payload()).hasSize(1000);
            raw.sendBinary(bytes(1001));
            expectClose(raw, 1009);
        }
    }

    @Test
    void aFragmentedMessageOverTheLimitCloses1009AndOneAtTheLimitPasses() {
        try (TestServer server = serve(Limits.defaults()
                        .withMessages(m -> m.withMaxFrameBytes(1000).withMaxMessageBytes(2500)));
                RawClient raw = open(server)) {
            raw.send(false, 0, RawClient.TEXT, bytes(1000));
            raw.send(false, 0, RawClient.CONTINUATION, bytes(1000));
            raw.send(true, 0, RawClient.CONTINUATION, bytes(500));
            RawClient.Frame echoed = raw.readFrame();
            assertThat(echoed.opcode()).isEqualTo(RawClient.TEXT);
            assertThat(echoed.payload()).hasSize(2500);

            raw.send(false, 0, RawClient.BINARY, bytes(1000));
            raw.send(false, 0, RawClient.CONTINUATION, bytes(1000));
            raw.send(false, 0, RawClient.CONTINUATION, bytes(501));
            expectClose(raw, 1009);
        }
    }

    @Test
    void aHandlerThatFallsBehindPausesItsOwnReadingAndLosesNothing() {
        CountDownLatch release = new CountDownLatch(1);
        Router slow = Router.builder()
                .websocket(
                        "/ws/slow",
                        Handlers.of(ws -> ws.onText((session, text) -> {
                            release.await(10, TimeUnit.SECONDS);
                            session.send(text.substring(0, text.indexOf(' ')));
                        })))
                .websocket("/ws/echo", Handlers.of(ws -> ws.onText(Session::send)))
                .build();
        // 100 KiB sent against a 4 KiB inbound buffer: reading pauses and resumes many times.
        Limits limits = Limits.defaults().withBuffers(b -> b.withInboundBufferBytes(4 * 1024));
        try (TestServer server =
                        TestServer.start(b -> b.router(slow).limits(limits).ioThreads(1));
                RawClient raw = server.raw()) {
            assertThat(raw.upgrade("/ws/slow").status()).isEqualTo(101);
            String padding = "x".repeat(1024);
            for (int i = 0; i < 100; i++) {
                raw.sendText(i + " " + padding);
            }
            TestClient other = server.connect("/ws/echo");
            other.sendText("not held up");
            assertThat(other.expectText()).isEqualTo("not held up");
            release.countDown();
            for (int i = 0; i < 100; i++) {
                assertThat(raw.readFrame().text()).isEqualTo(String.valueOf(i));
            }
        }
    }

    @Test
    void aClientThatDoesNotReadIsClosedWith1008WhileOthersKeepReceiving() {
        try (TestServer server = serveSlowConsumers(SlowConsumerPolicy.CLOSE);
                RawClient stuck = server.raw()) {
            assertThat(stuck.upgrade("/ws/echo?stuck").status()).isEqualTo(101);
            TestClient good = server.connect("/ws/echo?good");
            good.sendText("joined?");
            assertThat(good.expectText()).isEqualTo("joined?");

            broadcastRounds(server, good);
            assertThat(closes.next(Duration.ofSeconds(10))).isEqualTo("[stuck] 1008");
            good.sendText("still served");
            assertThat(good.expectText()).isEqualTo("still served");
        }
    }

    @Test
    void aClientThatPingsWithoutReadingIsASlowConsumerToo() {
        try (TestServer server = serveSlowConsumers(SlowConsumerPolicy.CLOSE);
                RawClient raw = server.raw()) {
            assertThat(raw.upgrade("/ws/echo?pinger").status()).isEqualTo(101);
            byte[] ping = RawClient.encode(true, 0, RawClient.PING, new byte[125], true);
            byte[] burst = new byte[ping.length * 1_000];
            for (int i = 0; i < 1_000; i++) {
                System.arraycopy(ping, 0, burst, i * ping.length, ping.length);
            }
            try {
                for (int i = 0; i < 200; i++) { // 26 MB of pings: far more pongs than any buffer holds
                    raw.writeRaw(burst);
                }
            } catch (UncheckedIOException e) {
                // the server hung up: expected
            }
            assertThat(closes.next(Duration.ofSeconds(10))).isEqualTo("[pinger] 1008");
        }
    }

    @Test
    void withTheDropPolicyAClientThatDoesNotReadMissesMessagesButStaysConnected() {
        try (TestServer server = serveSlowConsumers(SlowConsumerPolicy.DROP);
                RawClient stuck = server.raw()) {
            assertThat(stuck.upgrade("/ws/echo?stuck").status()).isEqualTo(101);
            TestClient good = server.connect("/ws/echo?good");
            good.sendText("joined?");
            assertThat(good.expectText()).isEqualTo("joined?");

            broadcastRounds(server, good);
            // Every broadcast is written (one network thread wrote them to both): read what was kept.
            stuck.send(true, 0, RawClient.PING, "after".getBytes(StandardCharsets.UTF_8));
            int kept = 0;
            int last = -1;
            for (RawClient.Frame frame = stuck.readFrame();
                    frame.opcode() != RawClient.PONG;
                    frame = stuck.readFrame()) {
                int number =
                        Integer.parseInt(frame.text().substring(0, frame.text().indexOf(' ')));
                assertThat(number).as("in order").isGreaterThan(last);
                last = number;
                kept++;
            }
            assertThat(kept).isPositive().isLessThan(ROUNDS * PER_ROUND);
            stuck.sendText("still connected");
            assertThat(stuck.readFrame().text()).isEqualTo("still connected");
            server.server().hub().broadcast("all", Message.text("one more"));
            assertThat(stuck.readFrame().text()).isEqualTo("one more");
            assertThat(good.expectText()).isEqualTo("one more");
        }
    }

    private static final int ROUNDS = 96;
    private static final int PER_ROUND = 16;

    /** A 64 KiB outbound buffer: one round of broadcasts (128 KiB) is larger. One network thread. */
    private TestServer serveSlowConsumers(SlowConsumerPolicy policy) {
        Limits limits = Limits.defaults()
                .withBuffers(b -> b.withOutboundBufferBytes(64 * 1024).withSlowConsumerPolicy(policy));
        return TestServer.start(b -> b.router(router).limits(limits).ioThreads(1));
    }

    /**
     * Broadcasts 12 MiB to everyone, more than the socket buffers of a client that does not read
     * can take, in rounds of 128 KiB that {@code good} reads in full before the next: a client that
     * keeps up gets every message even though each round is larger than its outbound buffer.
     */
    private static void broadcastRounds(TestServer server, TestClient good) {
        broadcastRounds(server, List.of(good));
    }

    /** As above, with every client of {@code goods} reading each round in full, in order. */
    private static void broadcastRounds(TestServer server, List<TestClient> goods) {
        String padding = "x".repeat(8 * 1024);
        for (int round = 0; round < ROUNDS; round++) {
            int first = round * PER_ROUND;
            for (int i = first; i < first + PER_ROUND; i++) {
                server.server().hub().broadcast("all", Message.text(i + " " + padding));
            }
            for (TestClient good : goods) {
                expectRound(good, first, padding);
            }
        }
    }

    private static void expectRound(TestClient good, int first, String padding) {
        for (int i = first; i < first + PER_ROUND; i++) {
            String text = good.expectText();
            assertThat(text.startsWith(i + " ")
                            && text.length()
                                    == padding.length() + 1 + String.valueOf(i).length())
                    .as("good client got message %d intact (got one starting '%.10s')", i, text)
                    .isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(SlowConsumerPolicy.class)
    void whileOneMemberOfAGroupStopsReadingTheOthersGetEverythingInOrder(SlowConsumerPolicy policy) {
        try (TestServer server = serveSlowConsumers(policy);
                RawClient stuck = server.raw()) {
            assertThat(stuck.upgrade("/ws/echo?stuck").status()).isEqualTo(101);
            List<TestClient> goods = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                TestClient good = server.connect("/ws/echo?good" + i);
                good.sendText("joined?");
                assertThat(good.expectText()).isEqualTo("joined?");
                goods.add(good);
            }

            broadcastRounds(server, goods);
            if (policy == SlowConsumerPolicy.CLOSE) {
                assertThat(closes.next(Duration.ofSeconds(10))).isEqualTo("[stuck] 1008");
            }
            server.server().hub().broadcast("all", Message.text("last"));
            for (TestClient good : goods) {
                assertThat(good.expectText()).isEqualTo("last");
            }
        }
    }

    @Test
    void broadcastsOverflowingWhileConnectCloses1008OnceOpenWithOneLogLine() throws Exception {
        CountDownLatch joined = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        Router slowConnect = Router.builder()
                .websocket(
                        "/ws/slow",
                        Handlers.of(ws -> ws.onConnect(session -> {
                            session.join("all");
                            joined.countDown();
                            proceed.await(10, TimeUnit.SECONDS);
                            return Decision.accept();
                        })))
                .build();
        Limits limits = Limits.defaults().withBuffers(b -> b.withOutboundBufferBytes(64 * 1024));
        try (LogCapture log = LogCapture.start();
                TestServer server = TestServer.start(b -> b.router(slowConnect).limits(limits));
                RawClient raw = server.raw()) {
            raw.writeRaw(("GET /ws/slow HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                            + "Connection: Upgrade\r\nSec-WebSocket-Key: " + RawClient.newKey()
                            + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(joined.await(10, TimeUnit.SECONDS)).isTrue();
            String padding = "x".repeat(1024);
            for (int i = 0; i < 200; i++) { // 200 KiB held for a connection not yet open
                server.server().hub().broadcast("all", Message.text(i + " " + padding));
            }
            proceed.countDown();
            assertThat(raw.readResponse().status()).isEqualTo(101);
            int kept = 0;
            for (RawClient.Frame frame = raw.readFrame(); frame.opcode() != RawClient.CLOSE; frame = raw.readFrame()) {
                assertThat(frame.text()).startsWith(kept + " ");
                kept++;
            }
            assertThat(kept)
                    .as("what fitted in the buffer, in order")
                    .isPositive()
                    .isLessThan(200);
            assertThat(log.linesWith("with 1008: slow consumer")).hasSize(1);
        }
    }

    @Test
    void theOutboundBufferDefaultsTo1MiBAndClosesSlowConsumers() {
        assertThat(Limits.defaults().buffers().outboundBufferBytes()).isEqualTo(1024 * 1024);
        assertThat(Limits.defaults().buffers().slowConsumerPolicy()).isEqualTo(SlowConsumerPolicy.CLOSE);
    }

    @Test
    void theDefaultsAre64KiBAndALimitMustBePositive() {
        assertThat(Limits.defaults().messages().maxFrameBytes()).isEqualTo(64 * 1024);
        assertThat(Limits.defaults().messages().maxMessageBytes()).isEqualTo(64 * 1024);
        assertThatThrownBy(() -> Limits.defaults().withMessages(m -> m.withMaxFrameBytes(0)))
                .hasMessage("maxFrameBytes must be at least 1, not 0");
    }
}
