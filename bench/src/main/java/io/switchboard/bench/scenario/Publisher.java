/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.scenario;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends numbered messages on its connection's event loop, either at a fixed rate or as fast as it
 * can with at most W messages not yet seen by a probe subscriber (which calls {@link #wake()} as it
 * catches up). What a message looks like on the wire is the {@link Frames}' business, so the plain
 * broadcast and the channel broadcast pace their publishers alike.
 */
final class Publisher {

    /** Makes the whole client frame of message number {@code sequence}, stamped with the time now. */
    interface Frames {
        ByteBuf make(ByteBufAllocator alloc, long sequence);
    }

    private final Frames frames;
    private final int window;
    private final AtomicLong probeSeen;
    private final AtomicBoolean waiting = new AtomicBoolean();
    private volatile boolean running = true;
    private Channel channel;
    private EventLoop loop;
    private long sequence; // on the loop
    private ScheduledFuture<?> ticker;

    Publisher(Frames frames, int window, AtomicLong probeSeen) {
        this.frames = frames;
        this.window = window;
        this.probeSeen = probeSeen;
    }

    /** Starts publishing on {@code pub}: {@code rate} is {@code max} or messages per second. */
    void start(Channel pub, String rate) {
        this.channel = pub;
        this.loop = pub.eventLoop();
        if (rate.equals("max")) {
            loop.execute(this::pump);
        } else {
            double perSecond = Double.parseDouble(rate);
            long startNanos = System.nanoTime();
            ticker = loop.scheduleAtFixedRate(
                    () -> {
                        long due = (long) ((System.nanoTime() - startNanos) / 1e9 * perSecond);
                        sendUpTo(due);
                    },
                    0,
                    1,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Sends until W messages are ahead of the probe subscriber; it wakes us as it catches up. */
    private void pump() {
        waiting.set(false);
        sendUpTo(probeSeen.get() + window);
        if (running && sequence >= probeSeen.get() + window) {
            waiting.set(true);
            if (sequence < probeSeen.get() + window) { // the probe moved meanwhile
                waiting.set(false);
                loop.execute(this::pump);
            }
        }
    }

    /** Called by the probe subscriber when it has seen more. */
    void wake() {
        if (waiting.compareAndSet(true, false)) {
            loop.execute(this::pump);
        }
    }

    private void sendUpTo(long limit) {
        if (!running) {
            return;
        }
        boolean wrote = false;
        while (sequence < limit && channel.isWritable()) {
            channel.write(frames.make(channel.alloc(), sequence++), channel.voidPromise());
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    /** Stops sending; returns how many messages were published. */
    long stop() throws Exception {
        return loop.submit(() -> {
                    running = false;
                    if (ticker != null) {
                        ticker.cancel(false);
                    }
                    return sequence;
                })
                .get(15, TimeUnit.SECONDS);
    }
}
