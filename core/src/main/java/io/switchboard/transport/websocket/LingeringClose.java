/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose peer may still be sending, without losing what we sent last. Closing a
 * TCP socket that has unread bytes makes the kernel answer with a reset, and a reset can destroy
 * the close frame we just wrote before the peer reads it: a client that sent an oversized or invalid
 * frame would see 1006 instead of 1009 or 1007. So, as HTTP servers do after an error: shut our
 * output (the peer reads our last bytes, then end of stream), read and drop what still comes, and
 * close when the peer closes, after {@link #LINGER_MILLIS}, or once it sent more than a byte budget
 * (twice the frame limit: the rest of a refused oversized frame), whichever is first. So a client
 * caught writing one large message finishes and reads its 1009, while a flooder costs at most the
 * budget more than closing at once would. One timer per closing connection, nothing kept of what is
 * read. On the channel's event loop.
 */
final class LingeringClose {

    /** How long a peer gets to stop sending after our last frame before the socket is closed anyway. */
    static final long LINGER_MILLIS = 1_000;

    static final String HANDLER_NAME = "linger-discard";

    private LingeringClose() {}

    /**
     * Once {@code written} completes: our output shut, up to {@code budget} of the peer's bytes
     * dropped, closed in the end.
     */
    static void after(ChannelFuture written, long budget) {
        written.addListener(done -> start(written.channel(), budget));
    }

    private static void start(Channel channel, long budget) {
        if (!channel.isActive() || !(channel instanceof DuplexChannel duplex) || duplex.isOutputShutdown()) {
            channel.close();
            return;
        }
        if (channel.pipeline().get(HANDLER_NAME) == null) {
            channel.pipeline().addFirst(HANDLER_NAME, new Discard(budget));
        }
        channel.config().setAutoRead(true); // reading may have been paused; the peer's end of stream must be seen
        channel.eventLoop().schedule(() -> channel.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        duplex.shutdownOutput().addListener(shut -> {
            if (!shut.isSuccess()) {
                channel.close();
            }
        });
    }

    /**
     * Drops every read, and closes once more than the budget came; the peer's end of stream closes
     * the channel (half-closure is not allowed).
     */
    private static final class Discard extends ChannelInboundHandlerAdapter {
        private long left;

        Discard(long budget) {
            this.left = budget;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf bytes) {
                left -= bytes.readableBytes();
            }
            ReferenceCountUtil.release(msg);
            if (left < 0) {
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
