/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Opens WebSocket connections for the generator: epoll where present, a plain HTTP/1.1 upgrade, then
 * the lean {@link ClientFrames.Decoder}. Pings are answered; a close frame closes the socket.
 */
public final class Connector implements AutoCloseable {

    private final EventLoopGroup group;
    private final Class<? extends Channel> channelType;

    public Connector(int threads) {
        boolean epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(
                threads,
                new DefaultThreadFactory("bench-client"),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /**
     * Connects to {@code target} (a {@code ws://} URI) from {@code local} (null for any address);
     * completes with the channel once the handshake is done. {@code listener} sees every data frame.
     */
    public CompletableFuture<Channel> connect(URI target, InetAddress local, ClientFrames.Listener listener) {
        CompletableFuture<Channel> opened = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline()
                                .addLast("http", new HttpClientCodec())
                                .addLast("aggregate", new HttpObjectAggregator(64 * 1024))
                                .addLast("upgrade", new Upgrade(target, listener, opened));
                    }
                });
        InetSocketAddress remote = new InetSocketAddress(target.getHost(), target.getPort());
        ChannelFuture connecting =
                local == null ? bootstrap.connect(remote) : bootstrap.connect(remote, new InetSocketAddress(local, 0));
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                opened.completeExceptionally(f.cause());
            }
        });
        return opened;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Upgrade extends ChannelInboundHandlerAdapter {
        private final URI target;
        private final ClientFrames.Listener listener;
        private final CompletableFuture<Channel> opened;
        private final String key;

        Upgrade(URI target, ClientFrames.Listener listener, CompletableFuture<Channel> opened) {
            this.target = target;
            this.listener = listener;
            this.opened = opened;
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            this.key = Base64.getEncoder().encodeToString(nonce);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            String path = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
            request.headers()
                    .set(HttpHeaderNames.HOST, target.getHost() + ":" + target.getPort())
                    .set(HttpHeaderNames.UPGRADE, "websocket")
                    .set(HttpHeaderNames.CONNECTION, "Upgrade")
                    .set(HttpHeaderNames.SEC_WEBSOCKET_KEY, key)
                    .set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13")
                    .set(HttpHeaderNames.ORIGIN, "http://" + target.getHost() + ":" + target.getPort());
            ctx.writeAndFlush(request);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (!(msg instanceof FullHttpResponse response)) {
                ctx.fireChannelRead(msg);
                return;
            }
            try {
                if (!response.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)
                        || !accept(key).equals(response.headers().get(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT))) {
                    opened.completeExceptionally(new IllegalStateException("upgrade refused: " + response.status()));
                    ctx.close();
                    return;
                }
            } finally {
                response.release();
            }
            var pipeline = ctx.pipeline();
            pipeline.addAfter("http", "frames", new ClientFrames.Decoder(new Replies(listener)));
            pipeline.remove("aggregate");
            pipeline.remove(this);
            pipeline.remove("http"); // what it still holds goes to the frame decoder
            opened.complete(ctx.channel());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            opened.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            opened.completeExceptionally(new IllegalStateException("closed during the handshake"));
            ctx.fireChannelInactive();
        }

        private static String accept(String key) throws Exception {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        }
    }

    /** Answers pings and closes, passes data frames on. */
    private record Replies(ClientFrames.Listener data) implements ClientFrames.Listener {
        @Override
        public void onFrame(ChannelHandlerContext ctx, int opcode, ByteBuf payload, int index, int length) {
            switch (opcode) {
                case ClientFrames.PING -> {
                    byte[] body = new byte[length];
                    payload.getBytes(index, body);
                    ctx.writeAndFlush(ClientFrames.frame(ctx.alloc(), ClientFrames.PONG, body));
                }
                case ClientFrames.CLOSE -> ctx.close();
                case ClientFrames.PONG -> {}
                default -> data.onFrame(ctx, opcode, payload, index, length);
            }
        }

        @Override
        public void onReadComplete(ChannelHandlerContext ctx) {
            data.onReadComplete(ctx);
        }
    }
}
