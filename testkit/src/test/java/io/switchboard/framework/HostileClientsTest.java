/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.routing.Router;
import io.switchboard.session.Decision;
import io.switchboard.session.Handlers;
import io.switchboard.session.Message;
import io.switchboard.session.Session;
import io.switchboard.settings.Limits;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Hostile clients (oversized frames, invalid UTF-8, floods, readers that stop reading, handshakes
 * that never finish) at the same time as well-behaved ones: each hostile one gets its close code,
 * and the well-behaved ones receive every broadcast and every echo, in order.
 */
class HostileClientsTest {

    private static final int GOOD = 4;
    private static final int EACH_KIND = 4;
    private static final int BROADCASTS = 1_000;

    private final Router router = Router.builder()
            .websocket("/ws/echo", Handlers.of(ws -> ws.onText(Session::send)
                    .onBinary(Session::send)
                    .onConnect(session -> {
                        session.join("all");
                        return Decision.accept();
                    })))
            .websocket("/ws/solo", Handlers.of(ws -> ws.onText(Session::send).onBinary(Session::send)))
            .build();

    @Test
    void wellBehavedClientsGetEverythingInOrderWhileHostileOnesAreClosed() throws Exception {
        Limits limits = Limits.defaults()
                .withMessages(m -> m.withMaxFrameBytes(16 * 1024).withMaxMessageBytes(16 * 1024))
                .withBuffers(b -> b.withOutboundBufferBytes(64 * 1024))
                .withTimeouts(
                        t -> t.withDrainTimeout(Duration.ofSeconds(1)).withHandshakeTimeout(Duration.ofSeconds(1)));
        ExecutorService hostile = Executors.newVirtualThreadPerTaskExecutor();
        ConcurrentLinkedQueue<RawClient> sockets = new ConcurrentLinkedQueue<>();
        try (TestServer server = TestServer.start(b -> b.router(router).limits(limits))) {
            List<TestClient> good = new ArrayList<>();
            for (int i = 0; i < GOOD; i++) {
                TestClient client = server.connect("/ws/echo");
                client.sendText("ready " + i);
                assertThat(client.expectText()).isEqualTo("ready " + i);
                good.add(client);
            }

            List<Future<String>> outcomes = new ArrayList<>();
            // Upgraded before the broadcasts start: a connection still in connect() when they do
            // holds them against its outbound buffer and may be closed as a slow consumer (1008)
            // before its own misbehaviour is read.
            for (int i = 0; i < EACH_KIND; i++) {
                RawClient oversized = open(server, sockets, "/ws/solo");
                RawClient invalidUtf8 = open(server, sockets, "/ws/solo");
                RawClient flood = open(server, sockets, "/ws/echo");
                open(server, sockets, "/ws/echo"); // joins "all" and never reads
                outcomes.add(hostile.submit(() -> oversized(oversized)));
                outcomes.add(hostile.submit(() -> invalidUtf8(invalidUtf8)));
                outcomes.add(hostile.submit(() -> flood(flood)));
                outcomes.add(hostile.submit(() -> "slow reader"));
                outcomes.add(hostile.submit(() -> halfOpen(server, sockets)));
            }

            String padding = "p".repeat(512);
            for (int n = 0; n < BROADCASTS; n++) {
                server.server().hub().broadcast("all", Message.text(n + " " + padding));
                if (n % 100 == 0) {
                    TestClient client = good.get(n / 100 % GOOD);
                    client.sendText("echo " + n);
                }
            }
            for (int g = 0; g < GOOD; g++) {
                TestClient client = good.get(g);
                int expected = 0;
                List<String> echoes = new ArrayList<>();
                while (expected < BROADCASTS) {
                    String text = client.expectText(Duration.ofSeconds(20));
                    if (text.startsWith("echo ")) {
                        echoes.add(text);
                        continue;
                    }
                    assertThat(text).as("client %d, broadcast %d", g, expected).startsWith(expected + " ");
                    expected++;
                }
                client.sendText("done");
                for (String text = client.expectText(); !text.equals("done"); text = client.expectText()) {
                    echoes.add(text);
                }
                List<String> sent = new ArrayList<>();
                for (int n = 0; n < BROADCASTS; n += 100) {
                    if (n / 100 % GOOD == g) {
                        sent.add("echo " + n);
                    }
                }
                assertThat(echoes).as("echoes of client %d", g).isEqualTo(sent);
            }

            for (Future<String> outcome : outcomes) {
                assertThat(outcome.get(30, TimeUnit.SECONDS)).isNotNull();
            }
            assertThat(outcomes.stream().map(HostileClientsTest::result))
                    .filteredOn(r -> r.startsWith("oversized"))
                    .containsOnly("oversized 1009");
            assertThat(outcomes.stream().map(HostileClientsTest::result))
                    .filteredOn(r -> r.startsWith("utf-8"))
                    .containsOnly("utf-8 1007");
            // Over the rate limit (100 a second, bursts of 200) or the outbound buffer, flooders are cut off.
            assertThat(outcomes.stream().map(HostileClientsTest::result))
                    .filteredOn(r -> r.startsWith("flood"))
                    .allMatch(r -> r.startsWith("flood closed"), "the server hung up on every flooder");
            // The handshake timeout closes an upgrade request that never ends.
            assertThat(outcomes.stream().map(HostileClientsTest::result))
                    .filteredOn(r -> r.startsWith("half open"))
                    .containsOnly("half open closed");
            sockets.forEach(RawClient::close);
        } finally {
            sockets.forEach(RawClient::close);
            hostile.shutdownNow();
            assertThat(hostile.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static String result(Future<String> outcome) {
        try {
            return outcome.get(0, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static RawClient open(TestServer server, ConcurrentLinkedQueue<RawClient> sockets, String path) {
        RawClient raw = server.raw();
        sockets.add(raw);
        assertThat(raw.upgrade(path).status()).isEqualTo(101);
        return raw;
    }

    /** One frame over the 16 KiB limit (outside the broadcast group: a slow read here is no fault). */
    private static String oversized(RawClient raw) {
        raw.sendText("x".repeat(20 * 1024));
        return "oversized " + closeCode(raw);
    }

    /** A text message whose second fragment holds an invalid byte. */
    private static String invalidUtf8(RawClient raw) {
        raw.send(false, 0, RawClient.TEXT, "fine so far ".getBytes(StandardCharsets.UTF_8));
        raw.send(true, 0, RawClient.CONTINUATION, new byte[] {'a', (byte) 0xC0, (byte) 0xAF});
        return "utf-8 " + closeCode(raw);
    }

    /**
     * Thousands of messages as fast as the socket takes them, without reading the echoes; then
     * reads what came back, to the end: the server must have hung up (over the rate limit, or as a
     * slow consumer, whichever it saw first), having dropped what arrived after its close.
     */
    private static String flood(RawClient raw) {
        byte[] frame =
                RawClient.encode(true, 0, RawClient.TEXT, "flood".repeat(200).getBytes(), true);
        try {
            for (int i = 0; i < 5_000; i++) {
                raw.writeRaw(frame);
            }
        } catch (UncheckedIOException e) {
            return "flood closed"; // reset while sending
        }
        try {
            return "flood closed " + closeCode(raw);
        } catch (UncheckedIOException e) {
            return "flood closed"; // reset while reading
        } catch (AssertionError e) {
            // the server closed TCP without a close frame getting out, or never hung up
            return e.getMessage().contains("closed the connection") ? "flood closed" : "flood open: " + e.getMessage();
        }
    }

    /** An upgrade request that stops halfway through its headers; the server must hang up. */
    private static String halfOpen(TestServer server, ConcurrentLinkedQueue<RawClient> sockets) {
        RawClient raw = server.raw();
        sockets.add(raw);
        raw.writeRaw("GET /ws/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        raw.expectEof(Duration.ofSeconds(10));
        return "half open closed";
    }

    /** Skips data frames up to the server's close frame and returns its code. */
    private static int closeCode(RawClient raw) {
        for (RawClient.Frame frame = raw.readFrame(); ; frame = raw.readFrame()) {
            if (frame.opcode() == RawClient.CLOSE) {
                return frame.closeCode();
            }
        }
    }
}
