/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * The listening side the bench's plain Netty peers share ({@link BaselineServer}, {@link NettyServer}):
 * one acceptor and {@code threads} workers (epoll where present), each connection's pipeline the HTTP
 * codec, {@code /stats}, the WebSocket handshake on {@code /ws*} and then the server's own
 * {@code route} handler, which sees the frames. Closing it closes every connection.
 */
final class PeerListener implements AutoCloseable {

    private static final int MAX_FRAME = 65536;

    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final ChannelGroup all = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel listener;

    PeerListener(String host, int port, int threads, Supplier<ChannelHandler> route) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        var io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        acceptor = new MultiThreadIoEventLoopGroup(1, io);
        workers = new MultiThreadIoEventLoopGroup(threads, io);
        StatsEndpoint stats = new StatsEndpoint(all::size);
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
                                .addLast(new HttpObjectAggregator(MAX_FRAME))
                                .addLast(stats)
                                .addLast(new WebSocketServerProtocolHandler("/ws", null, false, MAX_FRAME, false, true))
                                .addLast(route.get());
                    }
                })
                .bind(host, port)
                .sync()
                .channel();
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        all.close().awaitUninterruptibly();
        workers.shutdownGracefully().syncUninterruptibly();
        acceptor.shutdownGracefully().syncUninterruptibly();
    }
}
