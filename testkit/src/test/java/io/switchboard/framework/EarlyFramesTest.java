/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.http.HttpResponse;
import io.switchboard.routing.Router;
import io.switchboard.session.Execution;
import io.switchboard.session.Session;
import io.switchboard.session.WebSocketHandler;
import io.switchboard.settings.Limits;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Frames that arrive in the same packet as the upgrade request are served, and answered at once. */
class EarlyFramesTest {

    @ParameterizedTest
    @EnumSource(Execution.class)
    void framesRightBehindTheUpgradeRequestAreAnswered(Execution execution) {
        WebSocketHandler echo = new WebSocketHandler() {
            @Override
            public void onText(Session session, String text) {
                session.send("echo " + text);
            }

            @Override
            public Execution execution() {
                return execution;
            }
        };
        try (TestServer server = TestServer.start(
                        Router.builder().websocket("/ws", () -> echo).build());
                RawClient raw = server.raw()) {
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.writeBytes(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Key: " + RawClient.newKey() + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            packet.writeBytes(RawClient.encode(true, 0, RawClient.TEXT, "one".getBytes(StandardCharsets.UTF_8), true));
            packet.writeBytes(RawClient.encode(true, 0, RawClient.TEXT, "two".getBytes(StandardCharsets.UTF_8), true));
            raw.writeRaw(packet.toByteArray());

            assertThat(raw.readResponse().status()).isEqualTo(101);
            assertThat(raw.readFrame().text()).isEqualTo("echo one");
            assertThat(raw.readFrame().text()).isEqualTo("echo two");
        }
    }

    /** A frame in the same write as an upgrade pipelined behind a plain request is not parsed as HTTP. */
    @Test
    void framesBehindAPipelinedUpgradeRequestAreAnswered() {
        try (TestServer server = TestServer.start(pipelineRoutes());
                RawClient raw = server.raw()) {
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.writeBytes(ascii("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + upgradeRequest("/ws/echo")));
            packet.writeBytes(RawClient.encode(true, 0, RawClient.TEXT, ascii("early"), true));
            raw.writeRaw(packet.toByteArray());

            RawClient.HttpHead health = raw.readResponse();
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("ok");
            assertThat(raw.readResponse().status()).isEqualTo(101);
            assertThat(raw.readFrame().text()).isEqualTo("early");
            raw.sendText("later");
            assertThat(raw.readFrame().text()).isEqualTo("later");
        }
    }

    /** Such an upgrade to a path that speaks no WebSocket gets its plain answer, then the connection ends. */
    @Test
    void aPipelinedUpgradeToAPlainPathIsAnsweredLast() {
        try (TestServer server = TestServer.start(pipelineRoutes());
                RawClient raw = server.raw()) {
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.writeBytes(ascii("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + upgradeRequest("/healthz")));
            packet.writeBytes(RawClient.encode(true, 0, RawClient.TEXT, ascii("early"), true));
            raw.writeRaw(packet.toByteArray());

            assertThat(raw.readResponse().status()).isEqualTo(200);
            RawClient.HttpHead second = raw.readResponse();
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.header("Connection")).isEqualTo("close");
            raw.expectEof();
        }
    }

    /**
     * A request answered at once (404) between a busy one and a pipelined upgrade does not strand the
     * upgrade: it still gets its 101, and the frames held behind it are served.
     */
    @Test
    void anUpgradeBehindARequestAnsweredAtOnceIsStillServed() {
        try (TestServer server = TestServer.start(pipelineRoutes());
                RawClient raw = server.raw()) {
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.writeBytes(ascii("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "GET /nope HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + upgradeRequest("/ws/echo")));
            packet.writeBytes(RawClient.encode(true, 0, RawClient.TEXT, ascii("early"), true));
            raw.writeRaw(packet.toByteArray());

            assertThat(raw.readResponse().status()).isEqualTo(200);
            assertThat(raw.readResponse().status()).isEqualTo(404);
            assertThat(raw.readResponse().status()).isEqualTo(101);
            assertThat(raw.readFrame().text()).isEqualTo("early");
            raw.sendText("later");
            assertThat(raw.readFrame().text()).isEqualTo("later");
        }
    }

    /**
     * While a pipelined upgrade waits behind a busy request, what the client sends after it is held
     * only up to the inbound buffer limit; beyond that the connection is closed.
     */
    @Test
    void bytesHeldBehindAQueuedUpgradeAreBounded() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Router router = Router.builder()
                .http("/slow", request -> {
                    release.await();
                    return HttpResponse.text(200, "late");
                })
                .websocket("/ws/echo", () -> new WebSocketHandler() {})
                .build();
        Limits limits = Limits.defaults()
                .withMessages(m -> m.withMaxFrameBytes(128).withMaxMessageBytes(128))
                .withBuffers(b -> b.withInboundBufferBytes(256));
        try (LogCapture log = LogCapture.start();
                TestServer server = TestServer.start(b -> b.router(router).limits(limits));
                RawClient raw = server.raw()) {
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.writeBytes(ascii("GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + upgradeRequest("/ws/echo")));
            packet.writeBytes(new byte[1000]); // one write, so one read: more than 256 bytes to hold
            raw.writeRaw(packet.toByteArray());

            raw.expectEof();
            assertThat(log.linesWith("more than 256 B sent before its WebSocket handshake completed"))
                    .hasSize(1);
            release.countDown(); // the slow answer now finds the connection closed
        } finally {
            release.countDown();
        }
    }

    private static Router pipelineRoutes() {
        return Router.builder()
                .http("/healthz", request -> HttpResponse.text(200, "ok"))
                .websocket("/ws/echo", () -> new WebSocketHandler() {
                    @Override
                    public void onText(Session session, String text) {
                        session.send(text);
                    }
                })
                .build();
    }

    private static String upgradeRequest(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + RawClient.newKey() + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
