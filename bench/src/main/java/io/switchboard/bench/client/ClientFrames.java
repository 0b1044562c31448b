/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.List;

/**
 * The generator's side of the WebSocket framing, kept lean so that the generator, not the server,
 * has CPU to spare: frames are encoded with a zero masking key (valid, and masking with zero costs
 * nothing) and decoded without allocating a frame object: the listener sees each data payload in
 * place.
 */
public final class ClientFrames {

    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private ClientFrames() {}

    /** Sees each frame's payload during decoding; must not keep the buffer. */
    public interface Listener {
        void onFrame(ChannelHandlerContext ctx, int opcode, ByteBuf payload, int index, int length);

        /**
         * Called once the frames of one socket read have all been seen: the place to flush what
         * {@link #onFrame} wrote, so that a batch of replies costs one system call.
         */
        default void onReadComplete(ChannelHandlerContext ctx) {}
    }

    /** A buffer with room for a frame header of a {@code length}-byte payload, the header written. */
    public static ByteBuf header(ByteBufAllocator alloc, int opcode, int length) {
        int header = length <= 125 ? 6 : length <= 0xFFFF ? 8 : 14;
        ByteBuf frame = alloc.directBuffer(header + length);
        frame.writeByte(0x80 | opcode);
        if (length <= 125) {
            frame.writeByte(0x80 | length);
        } else if (length <= 0xFFFF) {
            frame.writeByte(0x80 | 126);
            frame.writeShort(length);
        } else {
            frame.writeByte(0x80 | 127);
            frame.writeLong(length);
        }
        frame.writeInt(0); // the masking key: zero leaves the payload as written
        return frame;
    }

    /** A whole masked frame holding {@code payload}. */
    public static ByteBuf frame(ByteBufAllocator alloc, int opcode, byte[] payload) {
        return header(alloc, opcode, payload.length).writeBytes(payload);
    }

    /** Decodes unmasked server frames and hands each payload to a listener. */
    public static final class Decoder extends ByteToMessageDecoder {
        private final Listener listener;

        public Decoder(Listener listener) {
            this.listener = listener;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            while (in.readableBytes() >= 2) {
                int start = in.readerIndex();
                int first = in.getUnsignedByte(start);
                int second = in.getUnsignedByte(start + 1);
                if ((second & 0x80) != 0) {
                    throw new CorruptedFrameException("the server sent a masked frame");
                }
                long length = second & 0x7F;
                int header = 2;
                if (length == 126) {
                    if (in.readableBytes() < 4) {
                        return;
                    }
                    length = in.getUnsignedShort(start + 2);
                    header = 4;
                } else if (length == 127) {
                    if (in.readableBytes() < 10) {
                        return;
                    }
                    length = in.getLong(start + 2);
                    header = 10;
                }
                if (in.readableBytes() < header + length) {
                    return;
                }
                listener.onFrame(ctx, first & 0x0F, in, start + header, (int) length);
                in.readerIndex(start + header + (int) length);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
            listener.onReadComplete(ctx);
            super.channelReadComplete(ctx);
        }

        /** What the last frames before the close wrote is released by the write to the closed channel. */
        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            try {
                super.channelInactive(ctx);
            } finally {
                listener.onReadComplete(ctx);
            }
        }
    }
}
