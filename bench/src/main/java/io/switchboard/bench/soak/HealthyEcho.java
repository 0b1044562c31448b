/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.soak;

import io.netty.buffer.ByteBuf;
import io.switchboard.bench.client.Payload;
import io.switchboard.bench.client.Tally;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * The healthy echo clients: each sends numbered, time-stamped binary messages to {@code /ws/echo}
 * at a modest rate and checks with a {@link Tally} that every one comes back once and in order.
 * Round-trip latency goes to one histogram while it is calm (after a warm-up) and another while
 * under attack.
 */
final class HealthyEcho {

    private final WireClient client;
    private final List<Echoer> echoers = new ArrayList<>();
    private final Histogram calm = new SynchronizedHistogram(60_000_000L, 3);
    private final Histogram attacked = new SynchronizedHistogram(60_000_000L, 3);
    private volatile Histogram recording; // null while warming up
    private volatile boolean closing;
    private final AtomicLong unexpectedCloses = new AtomicLong();

    private final class Echoer {
        final Wire wire;
        final Tally tally = new Tally();
        final AtomicLong sent = new AtomicLong();
        ScheduledFuture<?> sender;

        Echoer(Wire wire) {
            this.wire = wire;
        }

        void onFrame(ByteBuf payload, int index, int length) {
            if (length < Payload.MIN_BINARY) {
                tally.accept(-1); // not ours: counts as a duplicate
                return;
            }
            long micros = Math.max(1, (System.nanoTime() - Payload.sentAt(payload, index)) / 1000);
            Histogram histogram = recording;
            if (histogram != null) {
                histogram.recordValue(Math.min(micros, 60_000_000L));
            }
            synchronized (tally) {
                tally.accept(Payload.sequence(payload, index));
            }
        }
    }

    HealthyEcho(WireClient client) {
        this.client = client;
    }

    /** Opens {@code count} echo connections. */
    void open(int count, long timeoutMillis) throws Exception {
        for (int i = 0; i < count; i++) {
            Echoer[] self = new Echoer[1];
            Wire wire = client.open(WireClient.Setup.of(
                    "/ws/echo", (w, opcode, payload, index, length) -> self[0].onFrame(payload, index, length)));
            self[0] = new Echoer(wire);
            wire.closed.thenAccept(code -> {
                if (!closing) {
                    unexpectedCloses.incrementAndGet();
                }
            });
            echoers.add(self[0]);
        }
        for (Echoer echoer : echoers) {
            echoer.wire.opened.get(timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Each connection sends {@code rate} 64-byte messages a second. */
    void startSending(int rate) {
        long period = 1_000_000 / rate;
        for (int i = 0; i < echoers.size(); i++) {
            Echoer echoer = echoers.get(i);
            echoer.sender = echoer.wire
                    .channel
                    .eventLoop()
                    .scheduleAtFixedRate(
                            () -> {
                                ByteBuf frame = echoer.wire.channel.alloc().buffer(6 + 64);
                                Frames.header(frame, true, 0, Frames.BINARY, 64);
                                Payload.writeBinary(frame, echoer.sent.getAndIncrement(), System.nanoTime(), 64);
                                echoer.wire.send(frame);
                            },
                            period * i / echoers.size(),
                            period,
                            TimeUnit.MICROSECONDS);
        }
    }

    /** Latency from now on counts as calm: the first seconds (connections, JIT) are not. */
    void calm() {
        recording = calm;
    }

    /** Latency from now on counts as under attack, until {@link #stopRecording}. */
    void underAttack() {
        recording = attacked;
    }

    void stopRecording() {
        recording = null;
    }

    /** Stops sending and waits up to {@code timeoutMillis} for the last echoes. */
    void stopAndDrain(long timeoutMillis) throws InterruptedException {
        echoers.forEach(e -> e.sender.cancel(false));
        long deadline = System.currentTimeMillis() + timeoutMillis;
        for (Echoer echoer : echoers) {
            echoer.wire.channel.eventLoop().submit(() -> {}).await(1000);
            while (System.currentTimeMillis() < deadline && outstanding(echoer) > 0) {
                Thread.sleep(20); // a harness poll, bounded by the deadline; echoes need no event of their own
            }
        }
    }

    private static long outstanding(Echoer echoer) {
        synchronized (echoer.tally) {
            return echoer.sent.get() - echoer.tally.next();
        }
    }

    void close() {
        closing = true;
        for (Echoer echoer : echoers) {
            echoer.wire.send(Frames.close(echoer.wire.channel.alloc(), 1000));
        }
        long deadline = System.currentTimeMillis() + 5000;
        for (Echoer echoer : echoers) {
            if (echoer.wire.awaitClosed(Math.max(1, deadline - System.currentTimeMillis())) == null) {
                echoer.wire.abort();
            }
        }
    }

    /** Sent, received, lost, duplicated (a reordering shows as one lost and one duplicated). */
    long[] totals() {
        long sent = 0, received = 0, lost = 0, duplicated = 0;
        for (Echoer echoer : echoers) {
            synchronized (echoer.tally) {
                sent += echoer.sent.get();
                received += echoer.tally.received();
                lost += echoer.tally.lostOf(echoer.sent.get());
                duplicated += echoer.tally.duplicated();
            }
        }
        return new long[] {sent, received, lost, duplicated};
    }

    /** Echo connections that ended before {@link #close}. */
    long unexpectedCloses() {
        return unexpectedCloses.get();
    }

    Histogram calmLatency() {
        return calm;
    }

    Histogram attackLatency() {
        return attacked;
    }
}
