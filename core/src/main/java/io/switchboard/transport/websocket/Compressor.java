/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.zip.Deflater;

/**
 * Compresses one message on its own (no context takeover, RFC 7692 section 7.2.1): raw DEFLATE,
 * flushed with a sync flush, without the final {@code 00 00 FF FF}. Any thread (a broadcaster's, an
 * event loop) borrows a compressor from {@link ZlibPool#DEFLATERS} for the message.
 */
final class Compressor {

    private Compressor() {}

    /**
     * The compressed payload of {@code payload} (not consumed), or null when compressing does not make
     * it smaller and the message is better sent as it is.
     */
    static ByteBuf compress(ByteBufAllocator alloc, ByteBuf payload) {
        if (!payload.isReadable()) {
            return null;
        }
        Deflater deflater = ZlibPool.DEFLATERS.borrow();
        ByteBuf out = alloc.buffer(payload.readableBytes() / 2 + 64);
        try {
            ByteBuffer[] inputs = payload.nioBuffers();
            for (int i = 0; i < inputs.length; i++) {
                deflater.setInput(inputs[i]);
                drain(deflater, out, i == inputs.length - 1 ? Deflater.SYNC_FLUSH : Deflater.NO_FLUSH);
            }
            int length = out.readableBytes();
            if (length < 4 || out.getInt(length - 4) != 0x0000FFFF) {
                throw new IllegalStateException("a sync flush ends with 00 00 FF FF");
            }
            out.writerIndex(length - 4);
            if (out.readableBytes() >= payload.readableBytes()) {
                out.release();
                return null;
            }
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        } finally {
            ZlibPool.DEFLATERS.giveBack(deflater);
        }
    }

    /** Runs the compressor until it has taken all input and, for a flush, written all output. */
    private static void drain(Deflater deflater, ByteBuf out, int flush) {
        while (true) {
            out.ensureWritable(Math.max(64, out.readableBytes() / 2));
            int room = out.writableBytes();
            int written = deflater.deflate(out.nioBuffer(out.writerIndex(), room), flush);
            out.writerIndex(out.writerIndex() + written);
            if (written < room && deflater.needsInput()) {
                return; // all input taken and, as room was left, all output flushed
            }
        }
    }
}
