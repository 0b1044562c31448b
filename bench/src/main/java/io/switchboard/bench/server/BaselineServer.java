/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;

/**
 * The baseline: the plainest Netty WebSocket server, the way Netty's own examples write one.
 * {@code /ws/echo} writes each frame back; {@code /ws/sub} connections join a {@link ChannelGroup};
 * each frame on {@code /ws/pub} goes to the whole group with {@code ChannelGroup.writeAndFlush},
 * which encodes and flushes per member. Switchboard's figures are ratios against this server,
 * measured in the same sitting.
 */
public final class BaselineServer implements AutoCloseable {

    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final ChannelGroup subscribers = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final ChannelGroup all = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel listener;

    public BaselineServer(String host, int port, int threads) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        var io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        acceptor = new MultiThreadIoEventLoopGroup(1, io);
        workers = new MultiThreadIoEventLoopGroup(threads, io);
        listener = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        all.add(channel);
                        channel.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(65536))
                                .addLast(new StatsEndpoint(all::size))
                                .addLast(new WebSocketServerProtocolHandler("/ws", null, false, 65536, false, true))
                                .addLast(new Roles());
                    }
                })
                .bind(host, port)
                .sync()
                .channel();
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        all.close().awaitUninterruptibly();
        workers.shutdownGracefully().syncUninterruptibly();
        acceptor.shutdownGracefully().syncUninterruptibly();
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
