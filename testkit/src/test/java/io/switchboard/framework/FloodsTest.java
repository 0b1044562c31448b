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
import io.switchboard.settings.RateLimit;
import io.switchboard.settings.RateLimitPolicy;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Floods of frames that cost the server work without being messages: endless empty continuations
 * of one message, and pings as fast as a client can send them. Each flooder is closed with its code
 * and one log line, while a well-behaved client beside it keeps its echo.
 */
class FloodsTest {

    /** Frames a flooder writes at most: far past every limit, and a bound on the test's work. */
    private static final int FLOOD_FRAMES = 2_000_000;

    private static final int FRAMES_PER_WRITE = 10_000;

    private final Router router = Router.builder()
            .websocket("/ws/echo", Handlers.of(ws -> ws.onText(Session::send)))
            .build();

    private static TestServer serve(Limits limits) {
        return TestServer.start(b -> b.router(new FloodsTest().router).limits(limits));
    }

    /** Sixteen fragments cost one token, so the 1,024 fragments a message may have fit the default burst. */
    @Test
    void endlessEmptyContinuationsAreClosed1009AtTheFragmentLimit() throws Exception {
        try (LogCapture log = LogCapture.start();
                TestServer server = serve(Limits.defaults())) {
            RawClient.Frame close = flood(server, emptyContinuations(), true);
            assertThat(close.closeCode()).isEqualTo(1009);
            assertThat(close.closeReason()).isEqualTo("message in over 1024 fragments");
            assertThat(log.linesWith("with 1009: message in over 1024 fragments"))
                    .hasSize(1);
        }
    }

    /**
     * Under the dropping policy a message dropped over the rate limit is still followed to its end:
     * its continuations keep costing tokens and counting toward the fragment limit.
     */
    @Test
    void underTheDroppingPolicyEndlessContinuationsOfADroppedMessageAreClosed1009() throws Exception {
        Limits limits = Limits.defaults().withRateLimit(RateLimit.of(1, 3).withPolicy(RateLimitPolicy.DROP));
        try (LogCapture log = LogCapture.start();
                TestServer server = serve(limits)) {
            RawClient.Frame close = flood(server, emptyContinuations(), true);
            assertThat(close.closeCode()).isEqualTo(1009);
            assertThat(log.linesWith("dropping messages from")).hasSize(1);
            assertThat(log.linesWith("with 1009: message in over 1024 fragments"))
                    .hasSize(1);
        }
    }

    /** A message of the largest size in the most fragments allowed is within the default rate limit. */
    @Test
    void aLargestMessageInTheMostFragmentsIsEchoedUnderTheDefaultRateLimit() {
        Limits limits = Limits.defaults();
        int fragments = limits.messages().fragmentLimit();
        byte[] piece = new byte[limits.messages().maxMessageBytes() / fragments];
        Arrays.fill(piece, (byte) 'x');
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        for (int i = 0; i < fragments; i++) {
            int opcode = i == 0 ? RawClient.TEXT : RawClient.CONTINUATION;
            message.writeBytes(RawClient.encode(i == fragments - 1, 0, opcode, piece, true));
        }
        try (TestServer server = serve(limits);
                RawClient raw = server.raw()) {
            assertThat(raw.upgrade("/ws/echo").status()).isEqualTo(101);
            raw.writeRaw(message.toByteArray());
            RawClient.Frame echo = raw.readFrame();
            assertThat(echo.opcode()).isEqualTo(RawClient.TEXT);
            assertThat(echo.payload()).hasSize(limits.messages().maxMessageBytes());
        }
    }

    @Test
    void withTheRateLimitOffTheFragmentLimitCloses1009() throws Exception {
        Limits limits = Limits.defaults().withRateLimit(RateLimit.OFF);
        try (LogCapture log = LogCapture.start();
                TestServer server = serve(limits)) {
            RawClient.Frame close = flood(server, emptyContinuations(), true);
            assertThat(close.closeCode()).isEqualTo(1009);
            assertThat(close.closeReason()).isEqualTo("message in over 1024 fragments");
            assertThat(log.linesWith("with 1009: message in over 1024 fragments"))
                    .hasSize(1);
        }
    }

    @Test
    void aClientPingingAsFastAsItCanIsClosed1008() throws Exception {
        try (LogCapture log = LogCapture.start();
                TestServer server = serve(Limits.defaults())) {
            RawClient.Frame close = flood(server, pings(), false);
            assertThat(close.closeCode()).isEqualTo(1008);
            assertThat(log.linesWith("with 1008: over 100 messages per second (pings count as messages)"))
                    .hasSize(1);
        }
    }

    @Test
    void underTheDroppingPolicyPingsOverTheLimitGetNoPong() {
        Limits limits = Limits.defaults().withRateLimit(RateLimit.of(1, 3).withPolicy(RateLimitPolicy.DROP));
        try (TestServer server = serve(limits);
                RawClient raw = server.raw()) {
            assertThat(raw.upgrade("/ws/echo").status()).isEqualTo(101);
            for (int i = 0; i < 10; i++) {
                raw.send(true, 0, RawClient.PING, new byte[] {(byte) i});
            }
            raw.sendClose(1000, ""); // close frames are not counted: the answer ends the pongs
            int pongs = 0;
            for (RawClient.Frame frame = raw.readFrame(); frame.opcode() != RawClient.CLOSE; frame = raw.readFrame()) {
                assertThat(frame.opcode()).isEqualTo(RawClient.PONG);
                assertThat(frame.payload()).containsExactly(pongs);
                pongs++;
            }
            assertThat(pongs).as("pongs: the burst of 3, then none").isEqualTo(3);
        }
    }

    /**
     * Floods from one connection while a well-behaved one keeps its echo; returns the flooder's
     * close frame. The flood stops when the server closes the connection, or at its bound.
     */
    private static RawClient.Frame flood(TestServer server, byte[] batch, boolean startMessage) throws Exception {
        ExecutorService writer = Executors.newVirtualThreadPerTaskExecutor();
        TestClient healthy = server.connect("/ws/echo");
        try (RawClient flooder = server.raw()) {
            assertThat(flooder.upgrade("/ws/echo").status()).isEqualTo(101);
            if (startMessage) {
                flooder.send(false, 0, RawClient.TEXT, new byte[] {'a'});
            }
            Future<?> flooding = writer.submit(() -> {
                try {
                    for (int sent = 0; sent < FLOOD_FRAMES; sent += FRAMES_PER_WRITE) {
                        flooder.writeRaw(batch);
                    }
                } catch (UncheckedIOException closedByTheServer) {
                    // the expected end of the flood
                }
            });
            RawClient.Frame close = flooder.readFrame();
            while (close.opcode() == RawClient.PONG || close.opcode() == RawClient.TEXT) { // or a drop's reply
                close = flooder.readFrame();
            }
            assertThat(close.opcode()).as("the server's answer to the flood").isEqualTo(RawClient.CLOSE);
            flooder.expectEof();
            flooding.get();

            healthy.sendText("still here");
            assertThat(healthy.expectText()).isEqualTo("still here");
            healthy.sendClose(1000, "");
            assertThat(healthy.expectClosed().code()).isEqualTo(1000);
            return close;
        } finally {
            writer.shutdownNow();
        }
    }

    private static byte[] emptyContinuations() {
        return repeated(RawClient.encode(false, 0, RawClient.CONTINUATION, new byte[0], true));
    }

    private static byte[] pings() {
        return repeated(RawClient.encode(true, 0, RawClient.PING, new byte[0], true));
    }

    private static byte[] repeated(byte[] frame) {
        ByteArrayOutputStream batch = new ByteArrayOutputStream(frame.length * FRAMES_PER_WRITE);
        for (int i = 0; i < FRAMES_PER_WRITE; i++) {
            batch.writeBytes(frame);
        }
        return batch.toByteArray();
    }
}
