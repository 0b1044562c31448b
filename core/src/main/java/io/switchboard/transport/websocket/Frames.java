/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.switchboard.session.Message;
import java.nio.charset.StandardCharsets;

/**
 * Server frames (RFC 6455, section 5.2): never masked, one frame per message. {@link #encode} makes
 * the complete bytes of a frame once, for a broadcast to share among its recipients.
 */
public final class Frames {

    static final int OPCODE_TEXT = 0x1;
    static final int OPCODE_BINARY = 0x2;
    private static final int FIN = 0x80;
    private static final int RSV1 = 0x40;

    private Frames() {}

    /** The whole frame (header and payload) for {@code message}, in one direct buffer. */
    public static ByteBuf encode(ByteBufAllocator alloc, Message message) {
        return switch (message) {
            case Message.Text text -> {
                int length = ByteBufUtil.utf8Bytes(text.text());
                ByteBuf frame = alloc.directBuffer(headerLength(length) + length);
                writeHeader(frame, OPCODE_TEXT, length);
                ByteBufUtil.reserveAndWriteUtf8(frame, text.text(), length);
                yield frame;
            }
            case Message.Binary binary -> {
                byte[] data = binary.data();
                ByteBuf frame = alloc.directBuffer(headerLength(data.length) + data.length);
                writeHeader(frame, OPCODE_BINARY, data.length);
                frame.writeBytes(data);
                yield frame;
            }
        };
    }

    /**
     * The frame {@code plain} (made by {@link #encode}) with its payload compressed and RSV1 set, for
     * connections that negotiated permessage-deflate; null when compressing does not shrink it.
     */
    public static ByteBuf encodeDeflated(ByteBufAllocator alloc, ByteBuf plain) {
        int payload = payloadLength(plain);
        int header = plain.readableBytes() - payload;
        ByteBuf compressed = Compressor.compress(alloc, plain.slice(plain.readerIndex() + header, payload));
        if (compressed == null) {
            return null;
        }
        try {
            ByteBuf frame = alloc.directBuffer(headerLength(compressed.readableBytes()) + compressed.readableBytes());
            writeHeader(frame, plain.getByte(plain.readerIndex()) & 0x0F, compressed.readableBytes());
            frame.setByte(0, frame.getByte(0) | RSV1);
            return frame.writeBytes(compressed);
        } finally {
            compressed.release();
        }
    }

    /** The payload length of a frame made by {@link #encode}, read from its header. */
    public static int payloadLength(ByteBuf frame) {
        int at = frame.readerIndex();
        int lengthField = frame.getByte(at + 1) & 0x7F;
        return switch (lengthField) {
            case 126 -> frame.getUnsignedShort(at + 2);
            case 127 -> (int) frame.getLong(at + 2);
            default -> lengthField;
        };
    }

    /**
     * The whole frame (header and payload) for a send to one session, in one direct buffer. A text
     * is encoded by {@link String#getBytes}, whose ASCII path is one vectorised copy, rather than
     * char by char as {@link #encode} does (which needs no array, for a frame shared by many).
     */
    public static ByteBuf encodeOne(ByteBufAllocator alloc, Message message) {
        return switch (message) {
            case Message.Text text -> whole(alloc, OPCODE_TEXT, text.text().getBytes(StandardCharsets.UTF_8));
            case Message.Binary binary -> whole(alloc, OPCODE_BINARY, binary.data());
        };
    }

    private static ByteBuf whole(ByteBufAllocator alloc, int opcode, byte[] payload) {
        ByteBuf frame = alloc.directBuffer(headerLength(payload.length) + payload.length);
        writeHeader(frame, opcode, payload.length);
        return frame.writeBytes(payload);
    }

    /** A frame object for the pipeline's encoder, for a send to one session. */
    public static WebSocketFrame frame(ByteBufAllocator alloc, Message message) {
        return switch (message) {
            case Message.Text text -> new TextWebSocketFrame(ByteBufUtil.writeUtf8(alloc, text.text()));
            case Message.Binary binary -> new BinaryWebSocketFrame(Unpooled.wrappedBuffer(binary.data()));
        };
    }

    private static int headerLength(int payload) {
        return payload <= 125 ? 2 : payload <= 0xFFFF ? 4 : 10;
    }

    private static void writeHeader(ByteBuf frame, int opcode, int length) {
        frame.writeByte(FIN | opcode);
        if (length <= 125) {
            frame.writeByte(length);
        } else if (length <= 0xFFFF) {
            frame.writeByte(126);
            frame.writeShort(length);
        } else {
            frame.writeByte(127);
            frame.writeLong(length);
        }
    }
}
