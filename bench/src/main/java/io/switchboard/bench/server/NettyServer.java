/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;

/**
 * A Netty WebSocket server written as well as Netty allows, the strong peer of issue 16 (the naive
 * {@link BaselineServer} stays for continuity). Same routes: {@code /ws/echo} writes each frame back
 * and flushes once per read batch, reading no more while the socket cannot take what it wrote;
 * {@code /ws/pub} encodes each frame once ({@link WireFrame}) and writes a view of that one buffer to
 * every {@code /ws/sub} connection from its pipeline's head, flushing each subscriber once per batch
 * of the publisher's reads ({@link Fanout}). Epoll where present.
 */
public final class NettyServer implements AutoCloseable {

    private static final int MAX_FRAME = 65536;

    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final ChannelGroup all = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Fanout fanout = new Fanout();
    private final Channel listener;

    public NettyServer(String host, int port, int threads) throws InterruptedException {
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
                                .addLast(new Route());
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
