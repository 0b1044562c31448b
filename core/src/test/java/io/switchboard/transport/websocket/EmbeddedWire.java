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
     * What was written to {@code channel}, with every buffer released: raw bytes (an encoded
     * broadcast) as ISO-8859-1 text, frame objects as {@code text:...} or {@code close:CODE}.
     */
    public static List<String> written(EmbeddedChannel channel) {
        List<String> out = new ArrayList<>();
        Object message;
        while ((message = channel.readOutbound()) != null) {
            try {
                out.add(
                        switch (message) {
                            case ByteBuf buf -> buf.toString(StandardCharsets.ISO_8859_1);
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
