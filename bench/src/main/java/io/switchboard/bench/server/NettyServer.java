/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * A Netty WebSocket server written as well as Netty allows, the strong peer of issue 16 (the naive
 * {@link BaselineServer} stays for continuity). Same routes: {@code /ws/echo} writes each frame back
 * and flushes once per read batch, reading no more while the socket cannot take what it wrote;
 * {@code /ws/pub} encodes each frame once ({@link WireFrame}) and writes a view of that one buffer to
 * every {@code /ws/sub} connection from its pipeline's head, flushing each subscriber once per batch
 * of the publisher's reads ({@link Fanout}). Epoll where present.
 */
public final class NettyServer implements AutoCloseable {

    private final Fanout fanout = new Fanout();
    private final PeerListener listener;

    public NettyServer(String host, int port, int threads) throws InterruptedException {
        listener = new PeerListener(host, port, threads, Route::new);
    }

    public int port() {
        return listener.port();
    }

    @Override
    public void close() {
        listener.close();
    }

    /** Once the handshake is done, replaces itself with the handler of the connection's path. */
    private final class Route extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete done) {
                ChannelInboundHandlerAdapter role = role(done.requestUri());
                if (role == null) {
                    ctx.close();
                } else {
                    ctx.pipeline().replace(this, "role", role);
                }
                return;
            }
            ctx.fireUserEventTriggered(event);
        }

        /** The handler for a path, or null for none of the three. */
        private ChannelInboundHandlerAdapter role(String path) {
            if (path.startsWith("/ws/echo")) {
                return new Echo();
            }
            if (path.startsWith("/ws/pub")) {
                return new Publish();
            }
            return path.startsWith("/ws/sub") ? new Subscribe() : null;
        }
    }

    /**
     * Writes every data frame back without flushing and flushes once per read batch. While the
     * socket's outbound buffer is over its high-water mark it stops reading, so a client that does
     * not read cannot make the server buffer without bound.
     */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
        }
    }

    /** Encodes each frame once and hands it to the fan-out; flushes the subscribers per read batch. */
    private final class Publish extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof WebSocketFrame frame) {
                ByteBuf wire = WireFrame.encode(ctx.alloc(), frame);
                frame.release();
                fanout.publish(wire, ctx.channel().eventLoop());
                wire.release();
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            fanout.flush(ctx.channel().eventLoop());
        }
    }

    /** A subscriber: joins the fan-out, ignores what it sends, leaves when it closes. */
    private final class Subscribe extends ChannelInboundHandlerAdapter {
        private ChannelHandlerContext head;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            head = ctx.pipeline().firstContext();
            fanout.join(head);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fanout.leave(head);
            ctx.fireChannelInactive();
        }
    }
}
