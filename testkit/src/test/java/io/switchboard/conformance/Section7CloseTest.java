/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.expectClose;
import static io.switchboard.conformance.Conformance.expectFrame;
import static io.switchboard.conformance.Conformance.expectServing;
import static io.switchboard.conformance.Conformance.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.routing.Router;
import io.switchboard.session.Handlers;
import io.switchboard.settings.Limits;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Autobahn section 7: the closing handshake. A valid code is echoed and the server then closes
 * TCP; nothing the client sends after its close is answered; a code that may not be sent, a
 * one-byte payload or an oversized one is a protocol error (1002); a reason that is not UTF-8 is
 * invalid payload (1007).
 */
class Section7CloseTest {

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = Conformance.echoServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The client closes; the server echoes the code and closes TCP, sending nothing else. */
    private static void expectEchoedThenEof(RawClient raw, int code) {
        RawClient.Frame close = raw.expectClose();
        assertThat(close.closeCode()).isEqualTo(code);
        raw.expectEof();
        expectServing(server);
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999})
    void aValidCodeIsEchoedAndTheServerClosesTcp(int code) {
        try (RawClient raw = Conformance.open(server)) {
            raw.sendClose(code, "bye");
            expectEchoedThenEof(raw, code);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
    void aCodeThatMayNotBeSentCloses1002(int code) {
        try (RawClient raw = Conformance.open(server)) {
            raw.sendClose(code, "");
            expectClose(server, raw, 1002);
        }
    }

    @Test
    void anEmptyCloseIsAnsweredWithAnEmptyClose() {
        try (RawClient raw = Conformance.open(server)) {
            raw.send(true, 0, RawClient.CLOSE, new byte[0]);
            RawClient.Frame close = raw.expectClose();
            assertThat(close.payload()).as("no code in, no code out").isEmpty();
            raw.expectEof();
        }
    }

    @Test
    void aOneBytePayloadCloses1002() {
        try (RawClient raw = Conformance.open(server)) {
            raw.send(true, 0, RawClient.CLOSE, new byte[] {0x03});
            expectClose(server, raw, 1002);
        }
    }

    @Test
    void aCloseFrameOver125BytesCloses1002() {
        try (RawClient raw = Conformance.open(server)) {
            raw.send(
                    true,
                    0,
                    RawClient.CLOSE,
                    ByteBuffer.allocate(126).putShort((short) 1000).array());
            expectClose(server, raw, 1002);
        }
    }

    @Test
    void theLongestReasonIsAccepted() {
        try (RawClient raw = Conformance.open(server)) {
            raw.sendClose(1000, "r".repeat(123));
            expectEchoedThenEof(raw, 1000);
        }
    }

    @Test
    void aReasonThatIsNotUtf8Closes1007() {
        try (RawClient raw = Conformance.open(server)) {
            raw.send(true, 0, RawClient.CLOSE, new byte[] {0x03, (byte) 0xE8, 'o', 'k', (byte) 0xED, (byte) 0xA0});
            expectClose(server, raw, 1007);
        }
    }

    @Test
    void nothingSentAfterTheClientsCloseIsAnswered() {
        try (RawClient raw = Conformance.open(server)) {
            // One write, so that all three arrive before the server hangs up (a later write could
            // meet a reset instead).
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.writeBytes(RawClient.encode(true, 0, RawClient.CLOSE, new byte[] {0x03, (byte) 0xE8}, true));
            bytes.writeBytes(RawClient.encode(true, 0, RawClient.TEXT, utf8("after close"), true));
            bytes.writeBytes(RawClient.encode(true, 0, RawClient.PING, utf8("after close"), true));
            raw.writeRaw(bytes.toByteArray());
            expectEchoedThenEof(raw, 1000);
        }
    }

    @Test
    void aCloseInsideAFragmentedMessageEndsItAndIsEchoed() {
        try (RawClient raw = Conformance.open(server)) {
            raw.send(false, 0, RawClient.TEXT, utf8("never "));
            raw.sendClose(1000, "");
            raw.send(true, 0, RawClient.CONTINUATION, utf8("finished"));
            expectEchoedThenEof(raw, 1000);
        }
    }

    @Test
    void aMessageBeforeTheCloseIsEchoedFirst() {
        try (RawClient raw = Conformance.open(server)) {
            raw.sendText("last words");
            raw.sendClose(1000, "");
            expectFrame(raw, RawClient.TEXT, utf8("last words"));
            expectEchoedThenEof(raw, 1000);
        }
    }

    @Test
    void aHandlerStillBusyWithAnEarlierMessageHoldsTheCloseAtMostTheCloseTimeout() {
        CountDownLatch release = new CountDownLatch(1);
        Router router = Router.builder()
                .websocket(
                        "/slow",
                        Handlers.of(ws -> ws.onText((session, text) -> {
                            release.await(30, TimeUnit.SECONDS);
                            session.send(text);
                        })))
                .build();
        Limits limits = Limits.defaults().withTimeouts(t -> t.withCloseTimeout(Duration.ofMillis(300)));
        try (TestServer slow = TestServer.start(b -> b.router(router).limits(limits));
                RawClient raw = Conformance.open(slow, "/slow", Map.of())) {
            try {
                raw.sendText("stuck");
                raw.sendClose(1000, "");
                // The handler would hold it for 30 s, longer than the read timeout: the close comes after 300 ms.
                assertThat(raw.expectClose().closeCode()).isEqualTo(1000);
                raw.expectEof();
            } finally {
                release.countDown();
            }
        }
    }
}
