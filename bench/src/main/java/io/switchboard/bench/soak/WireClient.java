/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.soak;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
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
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Opens {@link Wire}s to one server from one source address, on its own event loops: the healthy
 * clients and the attackers each get a client of their own, so an attacker busy writing never delays
 * a healthy client's reading (and its latency figures).
 */
final class WireClient implements AutoCloseable {

    /** How to open a connection: its path, whether to upgrade it at all, whether to answer pings. */
    record Setup(String path, boolean upgrade, boolean answerPings, Wire.Listener listener) {

        static Setup of(String path, Wire.Listener listener) {
            return new Setup(path, true, true, listener);
        }

        Setup withoutUpgrade() {
            return new Setup(path, false, answerPings, listener);
        }

        Setup notAnsweringPings() {
            return new Setup(path, upgrade, false, listener);
        }
    }

    private final EventLoopGroup group;
    private final Class<? extends Channel> channelType;
    private final InetSocketAddress server;
    private final InetAddress source;

    WireClient(String name, int threads, InetSocketAddress server, InetAddress source) {
        boolean epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(
                threads,
                new DefaultThreadFactory("soak-" + name, true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        this.server = server;
        this.source = source;
    }

    /** Connects and, unless {@code setup} says not to, sends the upgrade request for its path. */
    Wire open(Setup setup) {
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
        Wire wire = new Wire();
        bootstrap.handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline()
                        .addLast(new Wire.Handler(wire, setup.listener(), setup.upgrade(), setup.answerPings()));
            }
        });
        var connecting = bootstrap.connect(server, new InetSocketAddress(source, 0));
        wire.channel = connecting.channel();
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                wire.opened.completeExceptionally(f.cause());
                wire.closed.complete(Wire.NO_CLOSE_FRAME);
            } else if (setup.upgrade()) {
                wire.channel.writeAndFlush(Unpooled.wrappedBuffer(upgradeRequest(setup.path())));
            }
        });
        return wire;
    }

    /** The bytes of an upgrade request for {@code path}; a half-open attacker sends only part of them. */
    byte[] upgradeRequest(String path) {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        return ("GET " + path + " HTTP/1.1\r\n"
                        + "Host: " + server.getHostString() + ":" + server.getPort() + "\r\n"
                        + "Upgrade: websocket\r\n"
                        + "Connection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
