/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.scenario;

import io.netty.channel.Channel;
import io.switchboard.bench.client.ClientFrames;
import io.switchboard.bench.client.Connector;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Opens many connections at a bounded pace, spreading them over source addresses 127.0.0.1 to
 * 127.0.0.N so that one address pair's ~28,000 ephemeral ports are never the limit.
 */
public final class Clients {

    private Clients() {}

    /** Source addresses 127.0.0.1 .. 127.0.0.{@code count}. */
    public static List<InetAddress> sources(int count, int offset) {
        List<InetAddress> sources = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            try {
                sources.add(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (1 + offset + i)}));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return sources;
    }

    /**
     * Opens {@code count} connections to {@code target}, at most {@code parallel} handshakes at once,
     * connection {@code i} with {@code listeners.apply(i)}; prints progress for big batches.
     */
    public static List<Channel> open(
            Connector connector,
            URI target,
            int count,
            List<InetAddress> sources,
            int parallel,
            IntFunction<ClientFrames.Listener> listeners)
            throws Exception {
        Semaphore slots = new Semaphore(parallel);
        List<CompletableFuture<Channel>> pending = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (!slots.tryAcquire(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("handshakes stalled after " + i + " connections");
            }
            InetAddress source = sources.isEmpty() ? null : sources.get(i % sources.size());
            CompletableFuture<Channel> opening = connector.connect(target, source, listeners.apply(i));
            opening.whenComplete((channel, error) -> slots.release());
            pending.add(opening);
            if (count >= 2000 && (i + 1) % 2000 == 0) {
                System.err.printf("  opened %d of %d connections%n", i + 1, count);
            }
        }
        List<Channel> channels = new ArrayList<>(count);
        for (CompletableFuture<Channel> opening : pending) {
            channels.add(opening.get(60, TimeUnit.SECONDS));
        }
        return channels;
    }

    /** Closes every channel and waits a little for them. */
    public static void closeAll(List<Channel> channels) {
        channels.forEach(Channel::close);
        for (Channel channel : channels) {
            channel.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
