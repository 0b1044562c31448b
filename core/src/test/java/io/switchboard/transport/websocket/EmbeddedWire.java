/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What tests read back from an embedded channel: its writes, released, and its flushes. Public for
 * the tests of the packages above, whose connections write to embedded channels too.
 */
public final class EmbeddedWire {

    private EmbeddedWire() {}

    /** How many flushes reached {@code channel} since the last call. */
    public static int flushes(EmbeddedChannel channel) {
        FlushCounter counter = channel.pipeline().get(FlushCounter.class);
        int count = counter.count;
        counter.count = 0;
        return count;
    }

    /**
     * What was written to {@code channel}, with every buffer released: frame objects as {@code
     * text:...} or {@code close:CODE}; raw bytes that are exactly one whole unmasked text frame (a
     * send or a broadcast, encoded) as {@code text:...} too, other raw bytes as ISO-8859-1 text.
     */
    public static List<String> written(EmbeddedChannel channel) {
        List<String> out = new ArrayList<>();
        Object message;
        while ((message = channel.readOutbound()) != null) {
            try {
                out.add(
                        switch (message) {
                            case ByteBuf buf -> describe(buf);
                            case TextWebSocketFrame text -> "text:" + text.text();
                            case CloseWebSocketFrame close -> "close:" + close.statusCode();
                            default -> message.toString();
                        });
            } finally {
                ReferenceCountUtil.release(message);
            }
        }
        return out;
    }

    /** An encoded text frame as {@code text:...}, anything else as its bytes in ISO-8859-1. */
    public static String describe(ByteBuf buf) {
        int at = buf.readerIndex();
        int readable = buf.readableBytes();
        if (readable < 2 || (buf.getByte(at) & 0xFF) != 0x81) {
            return buf.toString(StandardCharsets.ISO_8859_1);
        }
        int lengthField = buf.getByte(at + 1) & 0xFF; // a server frame is unmasked: no high bit
        int header = lengthField == 126 ? 4 : lengthField == 127 ? 10 : 2;
        long length = lengthField == 126
                ? readable >= 4 ? buf.getUnsignedShort(at + 2) : -1
                : lengthField == 127 ? readable >= 10 ? buf.getLong(at + 2) : -1 : lengthField;
        if (length != readable - header) {
            return buf.toString(StandardCharsets.ISO_8859_1);
        }
        return "text:" + buf.toString(at + header, (int) length, StandardCharsets.UTF_8);
    }

    /** Counts flushes on their way out. */
    public static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        private int count;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            count++;
            ctx.flush();
        }
    }
}
