/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.compressible;
import static io.switchboard.conformance.Conformance.deflate;
import static io.switchboard.conformance.Conformance.expectClose;
import static io.switchboard.conformance.Conformance.expectFrame;
import static io.switchboard.conformance.Conformance.filled;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Autobahn section 9: large text and binary messages, up to the configured limit (1 MiB here), in
 * one frame, in fragments of every size from 64 bytes to the whole, and written in small chops;
 * one byte over the limit, in one frame or across fragments, closes with 1009.
 */
class Section9LargeMessagesTest {

    private static final int LIMIT = 1 << 20;

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = Conformance.echoServer(Conformance.manyFragments(
                Limits.defaults().withMessages(m -> m.withMaxFrameBytes(LIMIT).withMaxMessageBytes(LIMIT))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {64 * 1024, 256 * 1024, LIMIT})
    void largeMessagesInOneFrameEcho(int size) {
        try (RawClient raw = Conformance.open(server)) {
            byte[] text = filled(size, '*');
            raw.send(true, 0, RawClient.TEXT, text);
            expectFrame(raw, RawClient.TEXT, text);
            byte[] binary = filled(size, (char) 0xFE);
            raw.send(true, 0, RawClient.BINARY, binary);
            expectFrame(raw, RawClient.BINARY, binary);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 1024, 16384, 262144, LIMIT})
    void aMessageAtTheLimitInFragmentsOfAnySizeEchoes(int fragmentSize) {
        byte[] text = filled(LIMIT, '*');
        try (RawClient raw = Conformance.open(server)) {
            raw.writeRaw(fragmented(RawClient.TEXT, text, fragmentSize));
            expectFrame(raw, RawClient.TEXT, text);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 1024, 65536})
    void aFrameWrittenInChopsEchoes(int chop) {
        byte[] binary = filled(LIMIT / 4, (char) 0xFE);
        byte[] frame = RawClient.encode(true, 0, RawClient.BINARY, binary, true);
        try (RawClient raw = Conformance.open(server)) {
            for (int at = 0; at < frame.length; at += chop) {
                raw.writeRaw(Arrays.copyOfRange(frame, at, Math.min(frame.length, at + chop)));
            }
            expectFrame(raw, RawClient.BINARY, binary);
        }
    }

    @Test
    void oneByteOverTheLimitCloses1009InOneFrameOrAcrossFragments() {
        try (RawClient raw = Conformance.open(server)) {
            raw.send(true, 0, RawClient.BINARY, new byte[LIMIT + 1]);
            expectClose(server, raw, 1009);
        }
        try (RawClient raw = Conformance.open(server)) {
            raw.writeRaw(fragmented(RawClient.TEXT, filled(LIMIT + 1, '*'), 65536));
            expectClose(server, raw, 1009);
        }
    }

    /**
     * The server refuses at the frame's header while the client is still writing its payload. Had the
     * server closed its socket with those bytes unread, the kernel would answer them with a reset, and
     * a client that writes its whole message before it reads (as this one does) would fail on the
     * write and never see the 1009; the server lingers, dropping what comes, so the write completes.
     */
    @Test
    void aClientStillWritingItsOversizedMessageReadsThe1009NotAReset() {
        int limit = 4 << 20; // the server drops up to twice the frame limit before it closes anyway
        byte[] frame = RawClient.encode(true, 0, RawClient.BINARY, new byte[2 * limit], true);
        try (TestServer big = Conformance.echoServer(
                Limits.defaults().withMessages(m -> m.withMaxFrameBytes(limit).withMaxMessageBytes(limit)))) {
            for (int round = 0; round < 5; round++) {
                try (RawClient raw = Conformance.open(big)) {
                    raw.writeRaw(frame);
                    assertThat(raw.expectClose().closeCode())
                            .as("round %d", round)
                            .isEqualTo(1009);
                    raw.expectEof();
                }
            }
            Conformance.expectServing(big);
        }
    }

    @Test
    void aCloseRightBehindAnOversizedMessageEndsTheConnectionAtOnce() {
        try (RawClient raw = Conformance.open(server)) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            burst.writeBytes(fragmented(RawClient.BINARY, new byte[LIMIT + 1], 65536));
            burst.writeBytes(RawClient.encode(true, 0, RawClient.CLOSE, new byte[] {0x03, (byte) 0xE8}, true));
            raw.writeRaw(burst.toByteArray());
            assertThat(raw.expectClose().closeCode()).isEqualTo(1009);
            // The client has closed already: the server does not wait the close timeout (5 s) for it.
            raw.expectEof(Duration.ofSeconds(2));
        }
    }

    @Test
    void aCompressedMessageAtTheLimitEchoes() {
        byte[] data = compressible(LIMIT);
        Conformance.Negotiated negotiated = Conformance.openDeflate(server, Conformance.ECHO, "permessage-deflate");
        assertThat(negotiated.extensions()).isNotNull();
        try (RawClient raw = negotiated.raw()) {
            byte[] compressed = deflate(data);
            raw.send(false, 4, RawClient.TEXT, Arrays.copyOf(compressed, 100));
            raw.send(true, 0, RawClient.CONTINUATION, Arrays.copyOfRange(compressed, 100, compressed.length));
            assertThat(Conformance.readMessage(raw, RawClient.TEXT)).isEqualTo(data);
        }
    }

    /** The bytes of {@code payload} sent as one message of {@code opcode} in fragments of {@code size}. */
    static byte[] fragmented(int opcode, byte[] payload, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + payload.length / size * 8 + 16);
        for (int at = 0; at < payload.length || at == 0; at += size) {
            boolean last = at + size >= payload.length;
            byte[] piece = Arrays.copyOfRange(payload, at, Math.min(payload.length, at + size));
            out.writeBytes(RawClient.encode(last, 0, at == 0 ? opcode : RawClient.CONTINUATION, piece, true));
            if (last) {
                break;
            }
        }
        return out.toByteArray();
    }
}
