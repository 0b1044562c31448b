/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.switchboard.session.Hub;
import io.switchboard.settings.Limits;
import io.switchboard.stats.ServerStats;
import io.switchboard.transport.fanout.LocalRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Netty side of a {@code Server}: event loops, the listening socket, and an orderly stop. */
public final class NettyServer {

    private static final Logger log = LoggerFactory.getLogger(NettyServer.class);

    private final ServerSettings settings;
    private final Transport transport;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final ChannelGroup channels;
    private final ServerContext context;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private Channel listener;

    private NettyServer(ServerSettings settings, TlsLayer tls) {
        this.settings = settings;
        this.transport = Transport.choose();
        this.acceptor = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("switchboard-accept"), transport.ioHandlers());
        this.workers = new MultiThreadIoEventLoopGroup(
                settings.ioThreads(), new DefaultThreadFactory("switchboard-io"), transport.ioHandlers());
        this.channels = new DefaultChannelGroup("switchboard", GlobalEventExecutor.INSTANCE);
        Counters counters = new Counters(settings.counting(), this::openSessions); // read once started
        LocalRegistry registry = new LocalRegistry(settings.nodeId(), workers, counters);
        this.context = new ServerContext(settings, registry, channels, tls, counters);
    }

    /** Starts the engine, binds the port and serves. Fails naming the address if it cannot listen. */
    public static NettyServer start(ServerSettings settings) {
        TlsLayer tls = settings.tls() == null ? null : TlsLayer.of(settings.tls());
        NettyServer server = new NettyServer(settings, tls);
        try {
            server.bind();
        } catch (RuntimeException e) {
            server.release();
            throw e;
        }
        return server;
    }

    private void bind() {
        settings.engine().start(context.registry());
        Limits limits = settings.limits();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(
                        ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(
                                limits.buffers().outboundBufferBytes() / 2,
                                limits.buffers().outboundBufferBytes()))
                .childHandler(new ChannelSetup(context));
        try {
            listener = bootstrap.bind(settings.host(), settings.port()).sync().channel();
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
        log.debug("listening on {} with the {} transport", listener.localAddress(), transport.name());
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    public Hub hub() {
        return settings.engine();
    }

    public String nodeId() {
        return settings.nodeId();
    }

    public Limits limits() {
        return settings.limits();
    }

    /** The host names requests may name: the limits' list plus a specific listen address. */
    public List<String> allowedHosts() {
        return context.allowedHosts();
    }

    public boolean secure() {
        return settings.tls() != null;
    }

    public String transportName() {
        return transport.name();
    }

    /** What the server has counted of its traffic. */
    public ServerStats stats() {
        return context.counters();
    }

    public int openSessions() {
        return context.registry().size();
    }

    /**
     * Refuses new connections, closes sessions with 1001 after what is queued for them, waits up to
     * {@code drain} for them to finish (see {@link Drain}), then drops what is left and releases.
     */
    public void close(Duration drain) {
        if (!closed.compareAndSet(false, true)) {
            awaitUninterruptibly();
            return;
        }
        context.startClosing(); // upgrades under way are answered 503
        listener.close().syncUninterruptibly();
        // The acceptor's loop, idle now that nothing is accepted, keeps the drain's time.
        CompletableFuture<Boolean> drained = new Drain(context.registry(), acceptor.next()).start(drain);
        try {
            if (!drained.get()) {
                log.warn(
                        "{} sessions still open after the {} ms drain; dropping them",
                        context.registry().size(),
                        drain.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn("draining sessions failed", e.getCause());
        }
        channels.close().awaitUninterruptibly(drain.toMillis());
        release();
    }

    private void release() {
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        context.registry().discardQueued(); // broadcasts a stopping loop accepted but never ran
        try {
            settings.engine().close();
        } catch (RuntimeException e) {
            log.warn("closing the engine failed", e);
        }
        terminated.countDown();
    }

    /** Blocks until {@link #close} has finished. */
    public void awaitClose() throws InterruptedException {
        terminated.await();
    }

    private void awaitUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                terminated.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
