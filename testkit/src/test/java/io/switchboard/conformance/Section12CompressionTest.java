/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.BROADCAST;
import static io.switchboard.conformance.Conformance.ECHO;
import static io.switchboard.conformance.Conformance.compressible;
import static io.switchboard.conformance.Conformance.deflate;
import static io.switchboard.conformance.Conformance.expectClose;
import static io.switchboard.conformance.Conformance.inflate;
import static io.switchboard.conformance.Conformance.openDeflate;
import static io.switchboard.conformance.Conformance.readMessage;
import static io.switchboard.conformance.Conformance.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.settings.Limits;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestServer;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Autobahn section 12: permessage-deflate with the default offer, messages of every size in both
 * directions, fragmented compressed messages, context taken over by the client, broadcasts, and the
 * limits and violations that come with compression (bombs, RSV1 where it may not be, bad data).
 */
class Section12CompressionTest {

    private static final String OFFER = "permessage-deflate; client_max_window_bits";
    private static final String AGREED = "permessage-deflate; server_no_context_takeover";

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = Conformance.echoServer(Conformance.manyFragments(Limits.defaults()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawClient open() {
        Conformance.Negotiated negotiated = openDeflate(server, ECHO, OFFER);
        assertThat(negotiated.extensions()).isEqualTo(AGREED);
        return negotiated.raw();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 16, 63, 64, 65, 128, 1000, 4096, 16384, 32768, 40000, 65536})
    void compressedMessagesOfEverySizeEchoIntactAndLargeOnesComeBackCompressed(int size) {
        byte[] data = compressible(size);
        try (RawClient raw = open()) {
            raw.send(true, 4, RawClient.TEXT, deflate(data));
            RawClient.Frame text = raw.readFrame();
            assertThat(text.opcode()).isEqualTo(RawClient.TEXT);
            assertThat(text.rsv() == 4 ? inflate(text.payload()) : text.payload())
                    .isEqualTo(data);
            assertThat(text.rsv()).as("compressed back").isEqualTo(size >= 64 ? 4 : 0);

            byte[] binary = Arrays.copyOf(data, size);
            raw.send(true, 4, RawClient.BINARY, deflate(binary));
            assertThat(readMessage(raw, RawClient.BINARY)).isEqualTo(binary);
        }
    }

    @Test
    void aCompressedFrameRightBehindTheUpgradeRequestIsInflated() {
        byte[] data = compressible(1000);
        try (RawClient raw = server.raw()) {
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.writeBytes(utf8("GET " + ECHO + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + RawClient.newKey() + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: " + OFFER + "\r\n\r\n"));
            packet.writeBytes(RawClient.encode(true, 4, RawClient.TEXT, deflate(data), true));
            raw.writeRaw(packet.toByteArray());
            RawClient.HttpHead head = raw.readResponse();
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Sec-WebSocket-Extensions")).isEqualTo(AGREED);
            assertThat(readMessage(raw, RawClient.TEXT)).isEqualTo(data);
        }
    }

    @Test
    void messagesUnder64BytesAreSentUncompressed() {
        try (RawClient raw = open()) {
            byte[] small = compressible(63);
            raw.send(true, 4, RawClient.TEXT, deflate(small));
            Conformance.expectFrame(raw, RawClient.TEXT, small);
        }
    }

    @Test
    void uncompressedMessagesStillPassOnACompressingConnection() {
        try (RawClient raw = open()) {
            raw.sendText("plain");
            Conformance.expectFrame(raw, RawClient.TEXT, utf8("plain"));
            raw.send(true, 4, RawClient.TEXT, deflate(utf8("compressed")));
            Conformance.expectFrame(raw, RawClient.TEXT, utf8("compressed"));
            raw.sendBinary(utf8("plain again"));
            Conformance.expectFrame(raw, RawClient.BINARY, utf8("plain again"));
        }
    }

    @Test
    void theClientMayTakeItsContextFromMessageToMessage() {
        Deflater shared = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try (RawClient raw = open()) {
            for (int i = 0; i < 20; i++) {
                byte[] data = compressible(500 + i);
                raw.send(true, 4, RawClient.TEXT, deflate(shared, data));
                assertThat(readMessage(raw, RawClient.TEXT)).isEqualTo(data);
            }
        } finally {
            shared.end();
        }
    }

    @Test
    void aClientThatAgreedToNoContextTakeoverButTakesItCloses1007() {
        Deflater shared = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        Conformance.Negotiated negotiated = openDeflate(server, ECHO, "permessage-deflate; client_no_context_takeover");
        assertThat(negotiated.extensions())
                .isEqualTo("permessage-deflate; server_no_context_takeover; client_no_context_takeover");
        try (RawClient raw = negotiated.raw()) {
            byte[] data = compressible(500);
            raw.send(true, 4, RawClient.TEXT, deflate(shared, data));
            assertThat(readMessage(raw, RawClient.TEXT)).isEqualTo(data);
            // The same again refers back into the first message, which the server did not keep.
            raw.send(true, 4, RawClient.TEXT, deflate(shared, data));
            expectClose(server, raw, 1007);
        } finally {
            shared.end();
        }
    }

    @Test
    void manyMessagesEachCompressedOnItsOwnEchoInOrder() {
        try (RawClient raw = open()) {
            for (int i = 0; i < 20; i++) {
                byte[] data = compressible(500 + i);
                raw.send(true, 4, RawClient.TEXT, deflate(data));
            }
            for (int i = 0; i < 20; i++) {
                assertThat(readMessage(raw, RawClient.TEXT)).isEqualTo(compressible(500 + i));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 64, 1000})
    void aCompressedMessageInFragmentsOfAnySizeEchoesWhole(int fragmentSize) {
        byte[] data = compressible(20_000);
        byte[] compressed = deflate(data);
        try (RawClient raw = open()) {
            for (int at = 0; at < compressed.length; at += fragmentSize) {
                boolean first = at == 0;
                boolean last = at + fragmentSize >= compressed.length;
                byte[] piece = Arrays.copyOfRange(compressed, at, Math.min(compressed.length, at + fragmentSize));
                raw.send(last, first ? 4 : 0, first ? RawClient.BINARY : RawClient.CONTINUATION, piece);
            }
            assertThat(readMessage(raw, RawClient.BINARY)).isEqualTo(data);
        }
    }

    @Test
    void aPingBetweenCompressedFragmentsIsAnsweredAndTheMessageStaysWhole() {
        byte[] data = compressible(3000);
        byte[] compressed = deflate(data);
        int half = compressed.length / 2;
        try (RawClient raw = open()) {
            raw.send(false, 4, RawClient.TEXT, Arrays.copyOf(compressed, half));
            raw.send(true, 0, RawClient.PING, utf8("between"));
            raw.send(true, 0, RawClient.CONTINUATION, Arrays.copyOfRange(compressed, half, compressed.length));
            Conformance.expectFrame(raw, RawClient.PONG, utf8("between"));
            assertThat(readMessage(raw, RawClient.TEXT)).isEqualTo(data);
        }
    }

    @Test
    void theServerCompressesEachMessageOnItsOwn() {
        byte[] data = compressible(5000);
        try (RawClient raw = open()) {
            raw.sendBinary(data);
            raw.sendBinary(data);
            RawClient.Frame first = raw.readFrame();
            RawClient.Frame second = raw.readFrame();
            assertThat(first.rsv()).isEqualTo(4);
            assertThat(second.payload())
                    .as("no context taken over: the same message compresses to the same bytes")
                    .isEqualTo(first.payload());
            assertThat(inflate(second.payload())).isEqualTo(data);
        }
    }

    @Test
    void aBroadcastReachesCompressingAndPlainMembersEachInTheirOwnForm() {
        byte[] data = compressible(2000);
        try (RawClient sender = openDeflate(server, BROADCAST, OFFER).raw();
                RawClient deflating = openDeflate(server, BROADCAST, OFFER).raw();
                RawClient plain = Conformance.open(server, BROADCAST, Map.of())) {
            // Each joined in connect, before its 101.
            sender.send(true, 4, RawClient.TEXT, deflate(data));
            RawClient.Frame toSender = sender.readFrame();
            RawClient.Frame toDeflating = deflating.readFrame();
            RawClient.Frame toPlain = plain.readFrame();
            assertThat(toSender.rsv()).isEqualTo(4);
            assertThat(toDeflating.rsv()).isEqualTo(4);
            assertThat(toDeflating.payload()).isEqualTo(toSender.payload());
            assertThat(inflate(toDeflating.payload())).isEqualTo(data);
            assertThat(toPlain.rsv()).isZero();
            assertThat(toPlain.payload()).isEqualTo(data);
        }
    }

    @Test
    void aMessageThatInflatesPastTheLimitCloses1009() {
        byte[] bomb = deflate(new byte[1 << 20]); // 1 MiB of zeros in about 1 KiB
        assertThat(bomb.length).isLessThan(2000);
        try (RawClient raw = open()) {
            raw.send(true, 4, RawClient.BINARY, bomb);
            expectClose(server, raw, 1009);
        }
    }

    @Test
    void fragmentsThatTogetherInflatePastTheLimitClose1009AndOneAtTheLimitPasses() {
        Limits limits = Limits.defaults().withMessages(m -> m.withMaxMessageBytes(10_000));
        try (TestServer small = Conformance.echoServer(limits)) {
            try (RawClient raw = openDeflate(small, ECHO, OFFER).raw()) {
                byte[] atLimit = compressible(10_000);
                raw.send(true, 4, RawClient.TEXT, deflate(atLimit));
                assertThat(readMessage(raw, RawClient.TEXT)).isEqualTo(atLimit);

                // Each fragment inflates to under the limit, the three together to more.
                byte[] over = deflate(compressible(12_000));
                int third = over.length / 3;
                raw.send(false, 4, RawClient.TEXT, Arrays.copyOf(over, third));
                raw.send(false, 0, RawClient.CONTINUATION, Arrays.copyOfRange(over, third, 2 * third));
                raw.send(true, 0, RawClient.CONTINUATION, Arrays.copyOfRange(over, 2 * third, over.length));
                expectClose(small, raw, 1009);
            }
        }
    }

    @Test
    void invalidCompressedDataCloses1007() {
        try (RawClient raw = open()) {
            raw.send(true, 4, RawClient.BINARY, new byte[] {(byte) 0xFF, (byte) 0xFF, 0x00, 0x12});
            expectClose(server, raw, 1007);
        }
    }

    @Test
    void compressedTextThatIsNotUtf8Closes1007() {
        try (RawClient raw = open()) {
            raw.send(true, 4, RawClient.TEXT, deflate(new byte[] {'o', 'k', (byte) 0xC3, 0x28}));
            expectClose(server, raw, 1007);
        }
    }

    @Test
    void rsv1OnAContinuationOrAControlFrameCloses1002() {
        byte[] compressed = deflate(compressible(1000));
        try (RawClient raw = open()) {
            raw.send(false, 4, RawClient.TEXT, Arrays.copyOf(compressed, 10));
            raw.send(true, 4, RawClient.CONTINUATION, Arrays.copyOfRange(compressed, 10, compressed.length));
            expectClose(server, raw, 1002);
        }
        try (RawClient raw = open()) {
            raw.send(true, 4, RawClient.PING, utf8("ping"));
            expectClose(server, raw, 1002);
        }
        try (RawClient raw = open()) {
            raw.send(true, 2, RawClient.TEXT, utf8("RSV2 means nothing here"));
            expectClose(server, raw, 1002);
        }
    }

    @Test
    void withDeflateTurnedOffOffersAreDeclinedAndRsv1Closes1002() {
        try (TestServer off = Conformance.echoServer(Limits.defaults().withMessages(m -> m.withDeflate(false)))) {
            Conformance.Negotiated negotiated = openDeflate(off, ECHO, OFFER);
            assertThat(negotiated.extensions()).isNull();
            try (RawClient raw = negotiated.raw()) {
                raw.sendText(new String(compressible(1000)));
                Conformance.expectFrame(raw, RawClient.TEXT, compressible(1000));
                raw.send(true, 4, RawClient.TEXT, deflate(utf8("compressed")));
                expectClose(off, raw, 1002);
            }
        }
    }
}
