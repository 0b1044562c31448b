/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Following frames through the byte stream and refusing bad text at the byte that makes it bad. */
class WireUtf8CheckTest {

    /** Half its bytes with the high bit set, so that unmasking at the wrong place shows. */
    private static final byte[] KEY = {(byte) 0x91, 0x22, (byte) 0xB3, 0x44};

    /** A masked client frame; {@code length} may claim more payload than {@code payload} holds. */
    private static byte[] frame(int first, byte[] payload, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first);
        if (length <= 125) {
            out.write(0x80 | length);
        } else {
            out.write(0x80 | 126);
            out.write(length >>> 8);
            out.write(length & 0xFF);
        }
        out.writeBytes(KEY);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ KEY[i & 3]);
        }
        return out.toByteArray();
    }

    /** Writes {@code bytes} one at a time; the number of bytes passed on before an exception. */
    private static int feedByteByByte(EmbeddedChannel channel, byte[] bytes) {
        int passed = 0;
        for (byte b : bytes) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            ByteBuf out;
            while ((out = channel.readInbound()) != null) {
                passed += out.readableBytes();
                out.release();
            }
            channel.checkException();
        }
        return passed;
    }

    @Test
    void validTextAndBinaryPassWhole() {
        EmbeddedChannel channel = new EmbeddedChannel(new WireUtf8Check());
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(frame(0x01, "κόσ".getBytes(StandardCharsets.UTF_8), 6)); // text, no FIN
        stream.writeBytes(frame(0x89, new byte[] {(byte) 0xFF}, 1)); // a ping between fragments
        stream.writeBytes(frame(0x80, "με".getBytes(StandardCharsets.UTF_8), 4)); // the continuation
        stream.writeBytes(frame(0x82, new byte[] {(byte) 0xFF, (byte) 0xC0}, 2)); // binary: not text
        byte[] all = stream.toByteArray();
        assertThat(feedByteByByte(channel, all)).isEqualTo(all.length);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void theBadByteIsRefusedBeforeTheRestOfTheFrameArrivesAndWhatFollowsPassesUnchecked() {
        EmbeddedChannel channel = new EmbeddedChannel(new WireUtf8Check());
        byte[] start = frame(0x81, new byte[] {'o', 'k', (byte) 0xFF}, 60_000); // claims 60,000 bytes
        int header = start.length - 3;
        int passed = 0;
        for (int i = 0; i < start.length - 1; i++) {
            passed += feedByteByByte(channel, new byte[] {start[i]});
        }
        assertThat(passed).isEqualTo(header + 2);
        EmbeddedChannel failing = channel;
        assertThatThrownBy(() -> failing.writeInbound(Unpooled.wrappedBuffer(new byte[] {start[start.length - 1]})))
                .isInstanceOf(CorruptedWebSocketFrameException.class)
                .hasMessage("text is not valid UTF-8");
        ByteBuf badByte = channel.readInbound();
        assertThat(badByte.readableBytes())
                .as("passed on after the 1007, for the decoder's count")
                .isOne();
        badByte.release();

        // The rest of the frame (bad or not) and the client's close frame pass on unchecked: the
        // connection discards data from now on, but must still see the close.
        ByteArrayOutputStream after = new ByteArrayOutputStream();
        byte[] restOfFrame = new byte[60_000 - 3];
        Arrays.fill(restOfFrame, (byte) 0xFF);
        after.writeBytes(restOfFrame);
        after.writeBytes(frame(0x88, new byte[0], 0));
        byte[] rest = after.toByteArray();
        assertThat(feedByteByByte(channel, rest)).isEqualTo(rest.length);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aMessageEndingInsideACharacterIsRefusedWithoutItsLastByte() {
        EmbeddedChannel channel = new EmbeddedChannel(new WireUtf8Check());
        byte[] first = frame(0x01, new byte[] {'a', (byte) 0xE2}, 2);
        byte[] last = frame(0x80, new byte[] {(byte) 0x82}, 1); // FIN, and the character is still one byte short
        assertThat(feedByteByByte(channel, first)).isEqualTo(first.length);
        int passed = 0;
        for (int i = 0; i < last.length - 1; i++) {
            passed += feedByteByByte(channel, new byte[] {last[i]});
        }
        assertThat(passed).isEqualTo(last.length - 1);
        assertThatThrownBy(() -> feedByteByByte(channel, new byte[] {last[last.length - 1]}))
                .isInstanceOf(CorruptedWebSocketFrameException.class);
        channel.finishAndReleaseAll();
    }

    @Test
    void compressedTextIsLeftToTheInflatingSide() {
        EmbeddedChannel channel = new EmbeddedChannel(new WireUtf8Check());
        byte[] compressed = frame(0xC1, new byte[] {(byte) 0xFF, (byte) 0xFE}, 2); // FIN, RSV1, text
        assertThat(feedByteByByte(channel, compressed)).isEqualTo(compressed.length);
        assertThat(channel.finish()).isFalse();
    }

    /** Long ASCII runs are checked eight bytes at a time: a bad byte at any place is still found there. */
    @Test
    void aBadByteAnywhereInLongAsciiIsFoundWhereItIs() {
        for (int bad = 0; bad < 40; bad++) {
            byte[] payload = "plain ascii text, long enough for words; é then more".getBytes(StandardCharsets.UTF_8);
            payload[bad] = (byte) (bad % 2 == 0 ? 0xFF : 0x80);
            byte[] frame = frame(0x81, payload, payload.length);
            EmbeddedChannel channel = new EmbeddedChannel(new WireUtf8Check());
            int at = bad;
            assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(frame)))
                    .as("bad byte at %d", at)
                    .isInstanceOf(CorruptedWebSocketFrameException.class);
            ByteBuf before = channel.readInbound();
            int header = frame.length - payload.length;
            assertThat(before == null ? 0 : before.readableBytes())
                    .as("bad byte at %d", at)
                    .isEqualTo(header + bad);
            if (before != null) {
                before.release();
            }
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void longValidTextWithAndWithoutAMaskPassesWhole() {
        byte[] payload = "ascii runs, then κόσμε, then ascii again for a while: 0123456789abcdef"
                .repeat(20)
                .getBytes(StandardCharsets.UTF_8);
        EmbeddedChannel channel = new EmbeddedChannel(new WireUtf8Check());
        byte[] masked = frame(0x81, payload, payload.length);
        ByteArrayOutputStream unmasked = new ByteArrayOutputStream();
        unmasked.write(0x81);
        unmasked.write(126);
        unmasked.write(payload.length >>> 8);
        unmasked.write(payload.length & 0xFF);
        unmasked.writeBytes(payload);
        for (byte[] frame : List.of(masked, unmasked.toByteArray())) {
            channel.writeInbound(Unpooled.wrappedBuffer(frame));
            ByteBuf passed = channel.readInbound();
            assertThat(passed.readableBytes()).isEqualTo(frame.length);
            passed.release();
        }
        assertThat(channel.finish()).isFalse();
    }

    /**
     * Random text, keys and TCP splits against the byte-at-a-time validator: the eight-byte path
     * refuses exactly the messages it refuses, wherever the mask and the reads put their bytes.
     */
    @Test
    void theFastPathAgreesWithTheByteAtATimeValidator() {
        Random random = new Random(42);
        String[] pieces = {"a", "bc", "defghijk", "é", "€", "😀"};
        for (int round = 0; round < 3_000; round++) {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            for (int i = random.nextInt(40); i > 0; i--) {
                text.writeBytes(pieces[random.nextInt(pieces.length)].getBytes(StandardCharsets.UTF_8));
            }
            byte[] payload = text.toByteArray();
            if (payload.length > 0 && random.nextBoolean()) {
                payload[random.nextInt(payload.length)] = (byte) (0x80 + random.nextInt(0x80));
            }
            byte[] key = new byte[4];
            random.nextBytes(key);
            byte[] frame = maskedText(payload, key);
            int expected = firstBad(payload);

            EmbeddedChannel channel = new EmbeddedChannel(new WireUtf8Check());
            int split = random.nextInt(frame.length + 1);
            boolean refused = false;
            for (byte[] part :
                    List.of(Arrays.copyOfRange(frame, 0, split), Arrays.copyOfRange(frame, split, frame.length))) {
                try {
                    channel.writeInbound(Unpooled.wrappedBuffer(part));
                } catch (CorruptedWebSocketFrameException e) {
                    refused = true;
                }
                for (ByteBuf out = channel.readInbound(); out != null; out = channel.readInbound()) {
                    out.release();
                }
                if (refused) {
                    break;
                }
            }
            if (expected < 0) {
                assertThat(refused).as("round %d: valid", round).isFalse();
            } else {
                assertThat(refused).as("round %d: bad at %d", round, expected).isTrue();
            }
            channel.finishAndReleaseAll();
        }
    }

    /** Where the reference validator refuses {@code payload} as a whole message; -1 when valid. */
    private static int firstBad(byte[] payload) {
        Utf8Validator reference = new Utf8Validator();
        for (int i = 0; i < payload.length; i++) {
            if (!reference.accept(payload[i])) {
                return i;
            }
        }
        return reference.complete() ? -1 : payload.length - 1;
    }

    private static byte[] maskedText(byte[] payload, byte[] key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x81);
        if (payload.length <= 125) {
            out.write(0x80 | payload.length);
        } else {
            out.write(0x80 | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xFF);
        }
        out.writeBytes(key);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ key[i & 3]);
        }
        return out.toByteArray();
    }
}
