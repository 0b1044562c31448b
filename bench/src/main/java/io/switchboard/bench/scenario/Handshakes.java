/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.scenario;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code connect} scenario's client: opens a TCP connection, sends the upgrade request as bytes
 * made once (only the key changes), checks the 101 and its {@code Sec-WebSocket-Accept} in the raw
 * response, and closes. No HTTP codec, aggregator or pipeline change per handshake: the generator
 * must cost less per handshake than the servers it measures, or it, not they, is the limit.
 */
final class Handshakes implements AutoCloseable {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** What ends a response head; only read, so every connection searches with the same one. */
    private static final ByteBuf END_OF_HEAD =
            Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer("\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));

    private static final int MAX_HEAD = 8 * 1024;

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final InetSocketAddress remote;
    /** The request up to the key's value, and from after it to the end. */
    private final byte[] head;

    private final byte[] tail;

    Handshakes(URI target, int threads) {
        boolean epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(
                threads,
                new DefaultThreadFactory("bench-handshakes"),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
        this.remote = new InetSocketAddress(target.getHost(), target.getPort());
        String authority = target.getHost() + ":" + target.getPort();
        this.head = ("GET " + target.getRawPath() + " HTTP/1.1\r\nHost: " + authority
                        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nOrigin: http://"
                        + authority + "\r\nSec-WebSocket-Key: ")
                .getBytes(StandardCharsets.US_ASCII);
        this.tail = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    }

    /** One handshake from {@code source}: completes once it is done and the socket is closed. */
    CompletableFuture<Void> once(InetAddress source) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Bootstrap one = bootstrap.clone().handler(new Exchange(done));
        one.connect(remote, new InetSocketAddress(source, 0)).addListener(connected -> {
            if (!connected.isSuccess()) {
                done.completeExceptionally(connected.cause());
            }
        });
        return done;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Whether {@code response}, a whole response head, is a 101 carrying the accept value of {@code key}. */
    static boolean accepted(String response, String key) {
        return response.startsWith("HTTP/1.1 101 ")
                && response.toLowerCase(java.util.Locale.ROOT)
                        .contains(
                                "\r\nsec-websocket-accept: " + accept(key).toLowerCase(java.util.Locale.ROOT) + "\r\n");
    }

    static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** One connection's exchange: the request out, the response head in, then the close. */
    private final class Exchange extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<Void> done;
        private final String key;
        private ByteBuf response;

        Exchange(CompletableFuture<Void> done) {
            this.done = done;
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            this.key = Base64.getEncoder().encodeToString(nonce);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            response = ctx.alloc().heapBuffer(256);
            ByteBuf request = ctx.alloc().buffer(head.length + 24 + tail.length);
            request.writeBytes(head).writeCharSequence(key, StandardCharsets.US_ASCII);
            ctx.writeAndFlush(request.writeBytes(tail));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf bytes = (ByteBuf) msg;
            response.writeBytes(bytes);
            bytes.release();
            int end = ByteBufUtil.indexOf(END_OF_HEAD, response);
            if (end < 0 && response.readableBytes() < MAX_HEAD) {
                return;
            }
            String text = response.toString(StandardCharsets.US_ASCII);
            if (end >= 0 && accepted(text, key)) {
                ctx.close().addListener(closed -> done.complete(null));
            } else {
                done.completeExceptionally(new IllegalStateException(
                        "upgrade refused: " + text.lines().findFirst().orElse("")));
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (response != null) {
                response.release();
                response = null;
            }
            done.completeExceptionally(new IllegalStateException("closed during the handshake"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }
    }
}
