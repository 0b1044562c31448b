/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.routing.Router;
import io.switchboard.session.Handlers;
import io.switchboard.session.Session;
import io.switchboard.settings.Limits;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.Recorder;
import io.switchboard.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Heartbeats: a silent connection is pinged, and closed with 1001 when nothing comes back. */
class HeartbeatTest {

    private final Recorder<String> closes = new Recorder<>("disconnects");

    private final Router router = Router.builder()
            .websocket("/ws/echo", Handlers.of(ws -> ws.onText(Session::send)
                    .onDisconnect((session, status) -> closes.record(status.code() + " " + status.reason()))))
            .build();

    private TestServer serve() {
        return TestServer.start(b -> b.router(router)
                .limits(Limits.defaults().withTimeouts(t -> t.withPingInterval(Duration.ofMillis(200))
                        .withPongTimeout(Duration.ofMillis(300)))));
    }

    private static RawClient open(TestServer server) {
        RawClient raw = server.raw();
        assertThat(raw.upgrade("/ws/echo").status()).isEqualTo(101);
        return raw;
    }

    @Test
    void aSilentClientIsPingedAndClosedWith1001WhenItDoesNotAnswer() {
        try (LogCapture log = LogCapture.start();
                TestServer server = serve();
                RawClient raw = open(server)) {
            assertThat(raw.readFrame().opcode()).isEqualTo(RawClient.PING);
            RawClient.Frame close = raw.expectClose();
            assertThat(close.closeCode()).isEqualTo(1001);
            assertThat(close.closeReason()).isEqualTo("ping timeout");
            raw.expectEof();
            assertThat(closes.next(Duration.ofSeconds(5))).isEqualTo("1001 ping timeout");
            assertThat(log.linesWith("with 1001: no answer to a ping within 300 ms"))
                    .hasSize(1);
        }
    }

    @Test
    void aClientThatAnswersPingsStaysOpen() {
        try (TestServer server = serve();
                RawClient raw = open(server)) {
            for (int i = 0; i < 4; i++) { // 4 intervals: longer than interval + timeout
                RawClient.Frame ping = raw.readFrame();
                assertThat(ping.opcode()).isEqualTo(RawClient.PING);
                raw.send(true, 0, RawClient.PONG, ping.payload());
            }
            raw.sendText("still here");
            assertThat(raw.readFrame().text()).isEqualTo("still here");
            closes.assertEmpty();
        }
    }

    @Test
    void anyMessageCountsAsAnAnswerToAPing() {
        try (TestServer server = serve();
                RawClient raw = open(server)) {
            for (int i = 0; i < 3; i++) {
                assertThat(raw.readFrame().opcode()).isEqualTo(RawClient.PING);
                raw.sendText("busy " + i); // no pong, but a message
                assertThat(raw.readFrame().text()).isEqualTo("busy " + i);
            }
            closes.assertEmpty();
        }
    }

    @Test
    void aClientThatPingsGetsItsPayloadBack() {
        try (TestServer server = serve();
                RawClient raw = open(server)) {
            raw.send(true, 0, RawClient.PING, "hi".getBytes(StandardCharsets.UTF_8));
            RawClient.Frame frame = raw.readFrame();
            while (frame.opcode() == RawClient.PING) { // the server's own ping may come first
                frame = raw.readFrame();
            }
            assertThat(frame.opcode()).isEqualTo(RawClient.PONG);
            assertThat(frame.text()).isEqualTo("hi");
        }
    }

    @Test
    void aClientWhoseReadingTheServerPausedIsNotTakenForDead() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Router slow = Router.builder()
                .websocket("/ws/slow", Handlers.of(ws -> ws.onText((session, text) -> {
                            release.await(10, TimeUnit.SECONDS);
                            session.send(text.substring(0, text.indexOf(' ')));
                        })
                        .onDisconnect((session, status) -> closes.record(status.code() + " " + status.reason()))))
                .build();
        Limits limits = Limits.defaults()
                .withTimeouts(t -> t.withPingInterval(Duration.ofMillis(200)).withPongTimeout(Duration.ofMillis(300)))
                .withBuffers(b -> b.withInboundBufferBytes(4 * 1024));
        try (TestServer server = TestServer.start(b -> b.router(slow).limits(limits));
                RawClient raw = server.raw()) {
            assertThat(raw.upgrade("/ws/slow").status()).isEqualTo(101);
            String padding = "x".repeat(1024);
            for (int i = 0; i < 20; i++) {
                raw.sendText(i + " " + padding); // the handler holds the first: reading pauses
            }
            // Longer than a ping interval and a pong timeout together, while the server reads nothing.
            closes.expectNothing(Duration.ofMillis(1_500));
            release.countDown();
            int next = 0;
            while (next < 20) {
                RawClient.Frame frame = raw.readFrame();
                if (frame.opcode() == RawClient.PING) {
                    raw.send(true, 0, RawClient.PONG, frame.payload());
                    continue;
                }
                assertThat(frame.text()).isEqualTo(String.valueOf(next++));
            }
            closes.assertEmpty();
        }
    }
}
