/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.expectClose;
import static io.switchboard.conformance.Conformance.expectFrame;
import static io.switchboard.conformance.Conformance.filled;
import static io.switchboard.conformance.Conformance.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.settings.Limits;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestServer;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Autobahn 6.4.x, strictly: invalid UTF-8 is refused with 1007 as soon as the bad byte arrives,
 * not when its frame is whole. Each test sends a large text frame only up to the bad byte and
 * never the rest, so a server that waits for the whole frame never answers.
 */
class Utf8AsItArrivesTest {

    /** A text frame the server would wait a while for: far longer than what is sent of it. */
    private static final int LENGTH = 60_000;

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = Conformance.echoServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aBadByteInTheMiddleOfAFrameClosesBeforeTheRestArrives() {
        byte[] payload = filled(LENGTH, 'a');
        payload[100] = (byte) 0xFF;
        try (RawClient raw = Conformance.open(server)) {
            raw.writeRaw(upTo(RawClient.encode(true, 0, RawClient.TEXT, payload, true), LENGTH, 101));
            expectClose(server, raw, 1007);
        }
    }

    @Test
    void aCharacterCutByTcpWritesIsJudgedByItsNextByte() {
        byte[] payload = filled(LENGTH, 'a');
        payload[50] = (byte) 0xE2; // a three-byte lead, then 0x82 (fine), then 'a' (not a continuation)
        payload[51] = (byte) 0x82;
        byte[] frame = RawClient.encode(true, 0, RawClient.TEXT, payload, true);
        try (RawClient raw = Conformance.open(server)) {
            byte[] sent = upTo(frame, LENGTH, 53);
            raw.writeRaw(Arrays.copyOfRange(sent, 0, sent.length - 2));
            raw.writeRaw(Arrays.copyOfRange(sent, sent.length - 2, sent.length));
            expectClose(server, raw, 1007);
        }
    }

    @Test
    void aBadByteInAContinuationClosesBeforeTheContinuationIsWhole() {
        byte[] word = utf8("κόσμε");
        byte[] start = Arrays.copyOf(word, word.length + 2);
        start[start.length - 2] = (byte) 0xF0; // a four-byte lead and its first continuation...
        start[start.length - 1] = (byte) 0x9F;
        byte[] rest = filled(LENGTH, 'a'); // ...then 'a', which cannot continue it
        try (RawClient raw = Conformance.open(server)) {
            raw.send(false, 0, RawClient.TEXT, start);
            raw.writeRaw(upTo(RawClient.encode(true, 0, RawClient.CONTINUATION, rest, true), LENGTH, 1));
            expectClose(server, raw, 1007);
        }
    }

    /**
     * Bad text while the server's own close (here 1009) waits to go out: the 1007 is not sent, but
     * what follows the bad byte is not dropped either, so the client's close frame still ends the
     * handshake at once rather than at the close timeout.
     */
    @Test
    void aBadByteWhileAnotherCloseIsPendingLetsTheClientsCloseThrough() {
        Limits limits = Limits.defaults()
                .withMessages(m -> m.withMaxFrameBytes(1024).withMaxMessageBytes(1024))
                .withTimeouts(t -> t.withCloseTimeout(Duration.ofMinutes(1))); // far past the wait below
        try (TestServer small = Conformance.echoServer(limits);
                RawClient raw = Conformance.open(small)) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            burst.writeBytes(RawClient.encode(false, 0, RawClient.TEXT, filled(600, 'a'), true));
            burst.writeBytes(RawClient.encode(false, 0, RawClient.CONTINUATION, filled(600, 'a'), true)); // too big
            burst.writeBytes(RawClient.encode(true, 0, RawClient.CONTINUATION, new byte[] {(byte) 0xFF}, true));
            burst.writeBytes(RawClient.encode(true, 0, RawClient.CLOSE, new byte[] {0x03, (byte) 0xE8}, true));
            raw.writeRaw(burst.toByteArray());

            RawClient.Frame close = raw.expectClose();
            assertThat(close.closeCode()).isEqualTo(1009);
            raw.expectEof();
        }
    }

    @Test
    void validTextArrivingInPiecesStillEchoes() {
        byte[] payload = utf8("κόσμε ".repeat(LENGTH / 12));
        byte[] frame = RawClient.encode(true, 0, RawClient.TEXT, payload, true);
        try (RawClient raw = Conformance.open(server)) {
            int at = 0;
            while (at < frame.length) { // pieces that cut through the header and through characters
                int piece = at < 32 ? 3 : 1013;
                raw.writeRaw(Arrays.copyOfRange(frame, at, Math.min(frame.length, at + piece)));
                at += piece;
            }
            expectFrame(raw, RawClient.TEXT, payload);
        }
    }

    /** The first {@code count} payload bytes of {@code frame}, whose payload is {@code length} long. */
    private static byte[] upTo(byte[] frame, int length, int count) {
        int header = frame.length - length;
        return Arrays.copyOf(frame, header + count);
    }
}
