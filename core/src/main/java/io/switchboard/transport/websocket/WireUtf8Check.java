/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

/**
 * Checks the UTF-8 of text messages as their bytes arrive, in front of the frame decoder. The
 * decoder waits for a whole frame before passing it on, so invalid text in the middle of a large
 * frame would otherwise be noticed only once the rest of the frame had come (or never, if it does
 * not come). This handler follows the frames in the byte stream without holding any of it: it reads
 * each header, unmasks the payload of text frames as it passes and feeds it to one {@link
 * Utf8Validator} per message, across reads and fragments. At the first invalid byte it passes on
 * what came before, reports invalid payload (1007), then passes the rest on unchecked: the
 * connection, closing by then, discards data frames, while the client's close frame still reaches
 * it (and the frame decoder keeps its place in the stream).
 *
 * <p>Compressed messages (RSV1 on the first frame) are not looked at: their text exists only after
 * inflating, where Netty's whole-frame validator checks it. Headers are only read here, never judged:
 * the decoder behind refuses a bad one before its payload is looked at.
 */
public final class WireUtf8Check extends ChannelInboundHandlerAdapter {

    private static final int OPCODE_CONTINUATION = 0x0;
    private static final int OPCODE_TEXT = 0x1;
    private static final int FIN = 0x80;
    private static final int RSV1 = 0x40;
    private static final int MASKED = 0x80;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final Utf8Validator utf8 = new Utf8Validator();
    /** The header being read: up to 2 + 8 (length) + 4 (mask key) bytes. */
    private final byte[] header = new byte[14];

    private int headerRead;
    /** Payload bytes of the current frame still to come; -1 while reading a header. */
    private long remaining = -1;

    private final byte[] mask = new byte[4];
    /** The mask key twice over, big-endian as {@link ByteBuf#getLong} reads; 0 when unmasked. */
    private long maskWord;

    private boolean masked;
    /** Payload bytes of the current frame seen so far, for the mask's position. */
    private long offset;
    /** Whether the current frame's payload is text to check. */
    private boolean checking;

    private boolean finalFrame;
    /** Whether an uncompressed text message is in progress (its continuations are checked). */
    private boolean inText;

    private boolean failed;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        int bad = failed ? -1 : scan(in);
        if (bad < 0) {
            ctx.fireChannelRead(in);
            return;
        }
        failed = true;
        // What came before the bad byte is still the client's to have said; the 1007 comes before
        // the frame that holds the bad byte can be whole.
        passOn(ctx, in.readRetainedSlice(bad - in.readerIndex()));
        ctx.fireExceptionCaught(new CorruptedWebSocketFrameException(
                WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "text is not valid UTF-8"));
        passOn(ctx, in);
    }

    private static void passOn(ChannelHandlerContext ctx, ByteBuf bytes) {
        if (bytes.isReadable()) {
            ctx.fireChannelRead(bytes);
        } else {
            bytes.release();
        }
    }

    /** Follows frames through {@code in}; the index of the first invalid byte, or -1. */
    private int scan(ByteBuf in) {
        int at = in.readerIndex();
        int end = in.writerIndex();
        while (at < end) {
            if (remaining < 0) {
                at = readHeader(in, at, end);
            } else {
                int upTo = (int) Math.min(end, at + remaining);
                if (checking) {
                    int bad = check(in, at, upTo);
                    if (bad >= 0) {
                        return bad;
                    }
                }
                remaining -= upTo - at;
                offset += upTo - at;
                at = upTo;
            }
            if (remaining == 0 && !endOfFrame()) {
                // The message ended inside a character. Cut before its last byte, so that the
                // decoder never has the whole frame to pass on.
                return at - 1;
            }
        }
        return -1;
    }

    /** The index of the first invalid byte in {@code [from, to)}, or -1; {@code from} is at {@link #offset}. */
    private int check(ByteBuf in, int from, int to) {
        int i = from;
        while (i < to) {
            // Between characters, eight ASCII bytes at a time: unmasked, no byte has its high bit set.
            if (to - i >= Long.BYTES && utf8.complete()) {
                long eight = in.getLong(i) ^ Long.rotateLeft(maskWord, 8 * (int) ((offset + i - from) & 3));
                if ((eight & HIGH_BITS) == 0) {
                    i += Long.BYTES;
                    continue;
                }
            }
            byte b = in.getByte(i);
            if (masked) {
                b ^= mask[(int) ((offset + i - from) & 3)];
            }
            if (!utf8.accept(b)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    /** Takes header bytes from {@code at}; returns where it stopped. Starts the payload once whole. */
    private int readHeader(ByteBuf in, int at, int end) {
        while (at < end && headerRead < headerLength()) {
            header[headerRead++] = in.getByte(at++);
        }
        if (headerRead >= 2 && headerRead == headerLength()) {
            startPayload();
        }
        return at;
    }

    /** The length of the header being read, as far as its bytes so far tell. */
    private int headerLength() {
        if (headerRead < 2) {
            return 2;
        }
        int lengthField = header[1] & 0x7F;
        int extended = lengthField == 126 ? 2 : lengthField == 127 ? 8 : 0;
        return 2 + extended + ((header[1] & MASKED) != 0 ? 4 : 0);
    }

    private void startPayload() {
        int first = header[0] & 0xFF;
        int opcode = first & 0x0F;
        finalFrame = (first & FIN) != 0;
        masked = (header[1] & MASKED) != 0;
        int lengthField = header[1] & 0x7F;
        long length = lengthField;
        int next = 2;
        if (lengthField == 126) {
            length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
            next = 4;
        } else if (lengthField == 127) {
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (header[i] & 0xFF);
            }
            length &= Long.MAX_VALUE; // the decoder refuses the top bit; here it only must not be negative
            next = 10;
        }
        maskWord = 0;
        if (masked) {
            System.arraycopy(header, next, mask, 0, 4);
            long key = ((mask[0] & 0xFFL) << 24)
                    | ((mask[1] & 0xFFL) << 16)
                    | ((mask[2] & 0xFFL) << 8)
                    | (mask[3] & 0xFFL);
            maskWord = (key << 32) | key;
        }
        if (opcode == OPCODE_TEXT) {
            inText = (first & RSV1) == 0;
            utf8.reset();
            checking = inText;
        } else if (opcode == OPCODE_CONTINUATION) {
            checking = inText;
        } else {
            checking = false; // binary, or a control frame, which may come between fragments
            inText &= opcode >= 0x8;
        }
        headerRead = 0;
        offset = 0;
        remaining = length;
    }

    /** The current frame is complete; false when it ended a text message inside a character. */
    private boolean endOfFrame() {
        remaining = -1;
        if (checking && finalFrame) {
            inText = false;
            return utf8.complete();
        }
        return true;
    }
}
