/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * permessage-deflate on one connection (RFC 7692), between the frame codec and the rest of the
 * pipeline; present only where it was negotiated. Inbound it checks the reserved bits (RSV1 only on
 * the first frame of a data message, RSV2 and RSV3 never; 1002 otherwise) and inflates compressed
 * messages, counting the inflated size of the whole message against the message size limit as it
 * goes: a small frame that would inflate past the limit closes with 1009 before the memory is
 * taken. Outbound it compresses whole data frames worth compressing, each on its own (see {@link
 * PerMessageDeflate}); frames already encoded as bytes (broadcasts) pass untouched.
 */
public final class DeflateCodec extends ChannelDuplexHandler {

    /** RSV1 as Netty counts reserved bits (RSV1 = 4, RSV2 = 2, RSV3 = 1). */
    static final int RSV1 = 4;

    /** What the sender removed from the end of each compressed message (section 7.2.2). */
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    private final PerMessageDeflate.Agreement agreement;
    private final int maxMessageBytes;
    /**
     * With client context takeover, this connection's own, created with the first compressed
     * message and kept. Without ({@code client_no_context_takeover}), borrowed from {@link
     * ZlibPool#INFLATERS} for one message and given back at its end: between messages the
     * connection holds no zlib stream.
     */
    private Inflater inflater;
    /** Whether the message being received is compressed. */
    private boolean inflating;
    /** Inflated bytes of that message so far. */
    private long inflated;
    /** Set after a violation: the connection is failing, later frames are dropped. */
    private boolean failed;

    public DeflateCodec(PerMessageDeflate.Agreement agreement, int maxMessageBytes) {
        this.agreement = agreement;
        this.maxMessageBytes = maxMessageBytes;
    }

    // ---- inbound ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (failed) {
            frame.release();
            return;
        }
        WebSocketFrame decoded;
        try {
            decoded = decode(ctx.alloc(), frame);
        } catch (CorruptedWebSocketFrameException e) {
            failed = true;
            frame.release();
            ctx.fireExceptionCaught(e);
            return;
        }
        if (decoded != frame) {
            frame.release();
        }
        ctx.fireChannelRead(decoded);
    }

    /** {@code frame} itself, or an inflated copy that the caller passes on instead. */
    private WebSocketFrame decode(ByteBufAllocator alloc, WebSocketFrame frame) {
        int rsv = frame.rsv();
        if ((rsv & ~RSV1) != 0) {
            throw protocolError("RSV2 or RSV3 set; no extension here defines them");
        }
        boolean fin = frame.isFinalFragment();
        return switch (frame) {
            case TextWebSocketFrame text -> {
                inflating = rsv == RSV1;
                inflated = 0;
                yield inflating ? new TextWebSocketFrame(fin, 0, inflate(alloc, text.content(), fin)) : text;
            }
            case BinaryWebSocketFrame binary -> {
                inflating = rsv == RSV1;
                inflated = 0;
                yield inflating ? new BinaryWebSocketFrame(fin, 0, inflate(alloc, binary.content(), fin)) : binary;
            }
            case ContinuationWebSocketFrame continuation -> {
                if (rsv != 0) {
                    throw protocolError("RSV1 set on a continuation frame");
                }
                yield inflating
                        ? new ContinuationWebSocketFrame(fin, 0, inflate(alloc, continuation.content(), fin))
                        : continuation;
            }
            default -> {
                if (rsv != 0) {
                    throw protocolError("RSV1 set on a control frame");
                }
                yield frame;
            }
        };
    }

    /** The inflated bytes of one frame's payload; at the end of the message, the tail too. */
    private ByteBuf inflate(ByteBufAllocator alloc, ByteBuf payload, boolean endOfMessage) {
        if (inflater == null) {
            inflater = agreement.clientNoContextTakeover() ? ZlibPool.INFLATERS.borrow() : new Inflater(true);
        }
        ByteBuf out = alloc.buffer(Math.min(Math.max(256, payload.readableBytes() * 2), maxMessageBytes + 1));
        try {
            for (ByteBuffer input : payload.nioBuffers()) {
                feed(input, out);
            }
            if (endOfMessage) {
                feed(ByteBuffer.wrap(TAIL), out);
                inflating = false;
                if (agreement.clientNoContextTakeover()) {
                    ZlibPool.INFLATERS.giveBack(inflater);
                    inflater = null;
                } else if (inflater.finished()) {
                    inflater.reset(); // the client ended its stream (a final block): a new one follows
                }
            }
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** Inflates all of {@code input} into {@code out}, failing once the message outgrows the limit. */
    private void feed(ByteBuffer input, ByteBuf out) {
        inflater.setInput(input);
        try {
            while (!inflater.finished()) {
                if (!out.isWritable()) {
                    // Grow by at most what the limit still allows, plus the byte that proves it broken.
                    long allowed = maxMessageBytes - inflated + 1;
                    out.ensureWritable((int) Math.max(1, Math.min(out.capacity(), allowed)));
                }
                int room = out.writableBytes();
                int written = inflater.inflate(out.nioBuffer(out.writerIndex(), room));
                out.writerIndex(out.writerIndex() + written);
                inflated += written;
                if (inflated > maxMessageBytes) {
                    throw new CorruptedWebSocketFrameException(
                            WebSocketCloseStatus.MESSAGE_TOO_BIG,
                            "message inflates to over " + maxMessageBytes + " bytes");
                }
                if (written < room) {
                    if (inflater.needsDictionary()) {
                        throw invalid("compressed data asks for a preset dictionary");
                    }
                    if (inflater.needsInput() || inflater.finished()) {
                        return;
                    }
                }
            }
        } catch (DataFormatException e) {
            throw invalid("compressed data is not valid DEFLATE: " + e.getMessage());
        }
    }

    private static CorruptedWebSocketFrameException protocolError(String message) {
        return new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR, message);
    }

    private static CorruptedWebSocketFrameException invalid(String message) {
        return new CorruptedWebSocketFrameException(WebSocketCloseStatus.INVALID_PAYLOAD_DATA, message);
    }

    // ---- outbound ----

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof WebSocketFrame frame
                && (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame)
                && frame.isFinalFragment()
                && frame.rsv() == 0
                && agreement.compresses(frame.content().readableBytes())) {
            ByteBuf compressed;
            try {
                compressed = Compressor.compress(ctx.alloc(), frame.content());
            } catch (RuntimeException e) {
                ReferenceCountUtil.release(frame);
                promise.setFailure(e);
                return;
            }
            if (compressed != null) {
                WebSocketFrame out = frame instanceof TextWebSocketFrame
                        ? new TextWebSocketFrame(true, RSV1, compressed)
                        : new BinaryWebSocketFrame(true, RSV1, compressed);
                frame.release();
                ctx.write(out, promise);
                return;
            }
        }
        ctx.write(msg, promise);
    }

    // ---- lifecycle ----

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (inflater == null) {
            return;
        }
        if (agreement.clientNoContextTakeover()) {
            ZlibPool.INFLATERS.giveBack(inflater); // the connection ended inside a message
        } else {
            inflater.end();
        }
        inflater = null;
    }
}
