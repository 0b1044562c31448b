/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.switchboard.session.Message;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Server frames encoded once for broadcasts: header lengths at every boundary of RFC 6455, 5.2. */
class FramesTest {

    private static byte[] payload(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        return data;
    }

    private static int headerLength(int payload) {
        return payload <= 125 ? 2 : payload <= 65535 ? 4 : 10;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 70000})
    void binaryFramesHaveTheShortestHeaderForTheirLength(int length) {
        byte[] data = payload(length);
        ByteBuf frame = Frames.encode(ByteBufAllocator.DEFAULT, Message.binary(data));
        try {
            assertThat(frame.readableBytes()).isEqualTo(headerLength(length) + length);
            assertThat(Frames.payloadLength(frame)).isEqualTo(length);
            assertThat((int) frame.getUnsignedByte(0)).as("FIN and opcode 2").isEqualTo(0x82);
            int second = frame.getUnsignedByte(1);
            assertThat(second & 0x80).as("server frames are never masked").isZero();
            if (length <= 125) {
                assertThat(second).isEqualTo(length);
            } else if (length <= 65535) {
                assertThat(second).isEqualTo(126);
                assertThat(frame.getUnsignedShort(2)).isEqualTo(length);
            } else {
                assertThat(second).isEqualTo(127);
                assertThat(frame.getLong(2)).isEqualTo(length);
            }
            byte[] body = ByteBufUtil.getBytes(frame, headerLength(length), length);
            assertThat(Arrays.equals(body, data)).as("payload").isTrue();
        } finally {
            frame.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 125, 126, 65535, 65536})
    void textFramesCountUtf8BytesNotCharacters(int bytes) {
        // Two-byte characters, plus one ASCII character when the length is odd.
        String text = "é".repeat(bytes / 2) + "a".repeat(bytes % 2);
        assertThat(text.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
        ByteBuf frame = Frames.encode(ByteBufAllocator.DEFAULT, Message.text(text));
        try {
            assertThat(frame.readableBytes()).isEqualTo(headerLength(bytes) + bytes);
            assertThat((int) frame.getUnsignedByte(0)).as("FIN and opcode 1").isEqualTo(0x81);
            assertThat(frame.toString(headerLength(bytes), bytes, StandardCharsets.UTF_8))
                    .isEqualTo(text);
        } finally {
            frame.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 125, 126, 65535, 65536})
    void nettysOwnClientSideDecoderReadsTheFramesBack(int length) {
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(false)
                .maxFramePayloadLength(1 << 20)
                .build()));
        String text = "t".repeat(length);
        byte[] data = payload(length);

        client.writeInbound(Frames.encode(ByteBufAllocator.DEFAULT, Message.text(text)));
        client.writeInbound(Frames.encode(ByteBufAllocator.DEFAULT, Message.binary(data)));

        WebSocketFrame first = client.readInbound();
        WebSocketFrame second = client.readInbound();
        try {
            assertThat(first).isInstanceOf(TextWebSocketFrame.class);
            assertThat(first.isFinalFragment()).isTrue();
            assertThat(((TextWebSocketFrame) first).text()).isEqualTo(text);
            assertThat(second).isInstanceOf(BinaryWebSocketFrame.class);
            assertThat(Arrays.equals(ByteBufUtil.getBytes(second.content()), data))
                    .isTrue();
        } finally {
            first.release();
            second.release();
            assertThat(client.finishAndReleaseAll()).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 65535, 65536})
    void aSendToOneSessionEncodesTheSameBytesAsABroadcast(int length) {
        String text = length < 2
                ? "x".repeat(length)
                : "😀" + "aé日x".repeat(length / 4 + 1).substring(0, length - 2);
        for (Message message : List.of(Message.text(text), Message.binary(new byte[length]))) {
            ByteBuf one = Frames.encodeOne(ByteBufAllocator.DEFAULT, message);
            ByteBuf shared = Frames.encode(ByteBufAllocator.DEFAULT, message);
            try {
                assertThat(ByteBufUtil.getBytes(one)).isEqualTo(ByteBufUtil.getBytes(shared));
            } finally {
                one.release();
                shared.release();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hello", "日本語 😀"})
    void aSendToOneSessionIsAFrameObjectWithTheSamePayload(String text) {
        WebSocketFrame frame = Frames.frame(ByteBufAllocator.DEFAULT, Message.text(text));
        try {
            assertThat(frame).isInstanceOf(TextWebSocketFrame.class);
            assertThat(((TextWebSocketFrame) frame).text()).isEqualTo(text);
        } finally {
            frame.release();
        }
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        WebSocketFrame binary = Frames.frame(ByteBufAllocator.DEFAULT, Message.binary(data));
        try {
            assertThat(binary).isInstanceOf(BinaryWebSocketFrame.class);
            assertThat(ByteBufUtil.getBytes(binary.content())).isEqualTo(data);
        } finally {
            binary.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 125, 126, 1000, 65535, 65536, 200000})
    void aDeflatedFrameSetsRsv1KeepsTheOpcodeAndInflatesToThePayload(int length) throws DataFormatException {
        String text = "deflate me, ".repeat(length / 12 + 1).substring(0, length);
        ByteBuf plain = Frames.encode(ByteBufAllocator.DEFAULT, Message.text(text));
        ByteBuf deflated = Frames.encodeDeflated(ByteBufAllocator.DEFAULT, plain);
        plain.release();
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(false)
                .allowExtensions(true)
                .maxFramePayloadLength(1 << 20)
                .build()));
        client.writeInbound(deflated);
        WebSocketFrame frame = client.readInbound();
        try {
            assertThat(frame).isInstanceOf(TextWebSocketFrame.class);
            assertThat(frame.isFinalFragment()).isTrue();
            assertThat(frame.rsv()).as("RSV1").isEqualTo(4);
            assertThat(frame.content().readableBytes()).isLessThan(length);
            byte[] compressed = ByteBufUtil.getBytes(frame.content());
            Inflater inflater = new Inflater(true);
            inflater.setInput(tail(compressed)); // the 00 00 FF FF tail restored, as RFC 7692, 7.2.2 says
            byte[] out = new byte[length + 1];
            int n = 0;
            for (int read; (read = inflater.inflate(out, n, out.length - n)) > 0; ) {
                n += read;
            }
            inflater.end();
            assertThat(new String(out, 0, n, StandardCharsets.UTF_8)).isEqualTo(text);
        } finally {
            frame.release();
            assertThat(client.finish()).isFalse();
        }
    }

    private static byte[] tail(byte[] compressed) {
        byte[] withTail = Arrays.copyOf(compressed, compressed.length + 4);
        withTail[compressed.length + 2] = (byte) 0xFF;
        withTail[compressed.length + 3] = (byte) 0xFF;
        return withTail;
    }
}
