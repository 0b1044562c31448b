/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.soak;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * One kind of hostile client. Its lanes run side by side, each repeating {@link #cycle}: one
 * connection's worth of attack (connect, abuse, see how the server ends it) until the soak says
 * stop. Every cycle is bounded in time and bytes; what happened is counted in the attack's
 * {@link Stats}: connections, bytes and frames sent, and outcomes such as the close codes seen.
 */
abstract class Attack {

    private final String name;
    private final int lanes;
    private final Stats stats = new Stats();
    private volatile WireClient client;
    private volatile boolean stopped;

    Attack(String name, int lanes) {
        this.name = name;
        this.lanes = lanes;
    }

    /** One connection's worth of attack by lane {@code lane}; false when this lane has nothing more to do. */
    abstract boolean cycle(int lane) throws Exception;

    final String name() {
        return name;
    }

    final int lanes() {
        return lanes;
    }

    final Stats stats() {
        return stats;
    }

    final void start(WireClient client) {
        this.client = client;
    }

    final void stop() {
        stopped = true;
    }

    final boolean stopped() {
        return stopped;
    }

    /** Connects with {@code setup} and waits for the upgrade; null (the refusal counted) when refused. */
    final Wire open(WireClient.Setup setup) throws InterruptedException {
        stats.connections.increment();
        Wire wire = client.open(setup);
        try {
            wire.opened.get(10, TimeUnit.SECONDS);
            return wire;
        } catch (ExecutionException e) {
            stats.outcome(
                    e.getCause() instanceof Wire.Refused refused ? "refused " + refused.status : "connect failed");
        } catch (java.util.concurrent.TimeoutException e) {
            stats.outcome("no upgrade answer in 10 s");
        }
        wire.abort();
        return null;
    }

    /** Connects without upgrading; null when TCP did not connect. */
    final Wire connect() throws InterruptedException {
        return open(WireClient.Setup.of("/", Wire.Listener.IGNORE).withoutUpgrade());
    }

    final WireClient client() {
        return client;
    }

    /** Sends {@code frame}, counted, and waits up to a second for it to reach the socket. */
    final boolean send(Wire wire, ByteBuf frame, int frames) throws InterruptedException {
        stats.bytes.add(frame.readableBytes());
        stats.frames.add(frames);
        ChannelFuture written = wire.send(frame);
        return written.await(1000) && written.isSuccess();
    }

    /**
     * Writes batches from {@code batch} as fast as the server takes them, until it closes the
     * connection, {@code maxBytes} are sent, {@code maxMillis} pass, or the soak stops.
     */
    final void flood(Wire wire, Supplier<ByteBuf> batch, int framesPerBatch, long maxBytes, long maxMillis)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + maxMillis;
        long sent = 0;
        while (wire.isOpen() && !stopped && sent < maxBytes && System.currentTimeMillis() < deadline) {
            ByteBuf frames = batch.get();
            sent += frames.readableBytes();
            stats.bytes.add(frames.readableBytes());
            stats.frames.add(framesPerBatch);
            ChannelFuture written = wire.send(frames);
            while (!written.await(200) && wire.isOpen() && !stopped && System.currentTimeMillis() < deadline) {
                // the server stopped reading: wait for it, or for the end, without piling up more
            }
        }
    }

    /** Waits up to {@code millis} for the server to end the connection; counts how it ended as {@code prefix code}. */
    final void finish(Wire wire, String prefix, long millis) {
        Integer code = wire.awaitClosed(millis);
        String label = prefix.isEmpty() ? "" : prefix + " ";
        if (code == null) {
            stats.outcome(label + "still open (we closed)");
            wire.abort();
        } else {
            stats.outcome(label + (code == Wire.NO_CLOSE_FRAME ? "TCP closed, no close frame" : closed(wire, code)));
        }
    }

    private static String closed(Wire wire, int code) {
        return "closed " + code + (wire.closeReason().isEmpty() ? "" : " \"" + wire.closeReason() + "\"");
    }

    /** What one attack did: counters, and outcomes counted by name. */
    static final class Stats {
        final LongAdder connections = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final LongAdder frames = new LongAdder();
        private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();

        void outcome(String what) {
            outcomes.computeIfAbsent(what, k -> new LongAdder()).increment();
        }

        Map<String, Long> outcomes() {
            Map<String, Long> sorted = new TreeMap<>();
            outcomes.forEach((k, v) -> sorted.put(k, v.sum()));
            return sorted;
        }
    }
}
