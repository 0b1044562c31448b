/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.soak;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * Client frames as an attacker writes them: any FIN bit, reserved bits and opcode, masked with a
 * zero key (valid, and the payload goes out as written). The bench's {@code ClientFrames} only
 * writes whole, well-formed frames; a soak needs the malformed ones too.
 */
final class Frames {

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** RSV1, the bit permessage-deflate claims; invalid when no extension was negotiated. */
    static final int RSV1 = 0x40;

    private Frames() {}

    /** Appends a frame header announcing {@code length} payload bytes; the payload is the caller's. */
    static ByteBuf header(ByteBuf out, boolean fin, int rsv, int opcode, long length) {
        out.writeByte((fin ? 0x80 : 0) | rsv | opcode);
        if (length <= 125) {
            out.writeByte(0x80 | (int) length);
        } else if (length <= 0xFFFF) {
            out.writeByte(0x80 | 126).writeShort((int) length);
        } else {
            out.writeByte(0x80 | 127).writeLong(length);
        }
        return out.writeInt(0); // the masking key
    }

    /** One whole frame in a new buffer. */
    static ByteBuf frame(ByteBufAllocator alloc, boolean fin, int rsv, int opcode, byte[] payload) {
        ByteBuf out = alloc.buffer(14 + payload.length);
        return header(out, fin, rsv, opcode, payload.length).writeBytes(payload);
    }

    /** A final text frame. */
    static ByteBuf text(ByteBufAllocator alloc, String text) {
        return frame(alloc, true, 0, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A close frame with {@code code} and no reason. */
    static ByteBuf close(ByteBufAllocator alloc, int code) {
        return frame(alloc, true, 0, CLOSE, new byte[] {(byte) (code >> 8), (byte) code});
    }

    /** {@code count} frames of {@code opcode}, each {@code payload} bytes of 'a', in one buffer. */
    static ByteBuf repeated(ByteBufAllocator alloc, boolean fin, int opcode, int payload, int count) {
        ByteBuf out = alloc.buffer(count * (6 + payload));
        for (int i = 0; i < count; i++) {
            header(out, fin, 0, opcode, payload);
            for (int j = 0; j < payload; j++) {
                out.writeByte('a');
            }
        }
        return out;
    }
}
