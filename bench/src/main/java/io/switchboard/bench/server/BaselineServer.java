/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The baseline: the plainest Netty WebSocket server, the way Netty's own examples write one.
 * {@code /ws/echo} writes each frame back; {@code /ws/sub} connections join a {@link ChannelGroup};
 * each frame on {@code /ws/pub} goes to the whole group with {@code ChannelGroup.writeAndFlush},
 * which encodes and flushes per member. Switchboard's figures are ratios against this server,
 * measured in the same sitting.
 */
public final class BaselineServer implements AutoCloseable {

    private final ChannelGroup subscribers = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final PeerListener listener;

    public BaselineServer(String host, int port, int threads) throws InterruptedException {
        listener = new PeerListener(host, port, threads, Roles::new);
    }

    public int port() {
        return listener.port();
    }

    @Override
    public void close() {
        listener.close();
    }

    /** After the handshake, the path decides what a connection is. */
    private final class Roles extends SimpleChannelInboundHandler<WebSocketFrame> {
        private String path = "";

        Roles() {
            super(false);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete done) {
                path = done.requestUri();
                if (path.startsWith("/ws/sub")) {
                    subscribers.add(ctx.channel());
                }
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (path.startsWith("/ws/echo")) {
                ctx.writeAndFlush(frame);
            } else if (path.startsWith("/ws/pub")) {
                subscribers.writeAndFlush(frame);
            } else {
                frame.release();
            }
        }
    }
}
