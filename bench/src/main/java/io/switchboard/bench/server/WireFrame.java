/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * A server-to-client WebSocket frame (RFC 6455 section 5.2, never masked) as bytes ready for the
 * socket, so that a broadcast encodes a message once and every subscriber's socket sends a view of
 * the same buffer instead of each pipeline's encoder writing its own header.
 */
final class WireFrame {

    private static final int FIN = 0x80;
    private static final int CONTINUATION = 0x0;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;

    private WireFrame() {}

    /** {@code frame} encoded into one new buffer; the frame itself is left as it was (not released). */
    static ByteBuf encode(ByteBufAllocator alloc, WebSocketFrame frame) {
        ByteBuf content = frame.content();
        int length = content.readableBytes();
        int header = length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10;
        ByteBuf out = alloc.directBuffer(header + length);
        out.writeByte((frame.isFinalFragment() ? FIN : 0) | frame.rsv() << 4 | opcode(frame));
        if (length <= 125) {
            out.writeByte(length);
        } else if (length <= 0xFFFF) {
            out.writeByte(126).writeShort(length);
        } else {
            out.writeByte(127).writeLong(length);
        }
        return out.writeBytes(content, content.readerIndex(), length);
    }

    private static int opcode(WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame) {
            return TEXT;
        }
        return frame instanceof BinaryWebSocketFrame ? BINARY : CONTINUATION;
    }
}
