/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Frames sent from other threads (a handler's virtual thread), handed to the loop in batches: one
 * task and one flush for everything sent since the last batch, instead of a task, a wake-up and a
 * system call per message.
 *
 * <p>Threads: any thread adds; the channel's event loop writes.
 */
final class Outbox implements Runnable {

    /** A frame and the size {@link #add} counted for it, which is what leaving subtracts. */
    private record Pending(WebSocketFrame frame, int size) {}

    private final Queue<Pending> frames = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Channel channel;
    private final Lifecycle lifecycle;
    /** Counts the frames written, once per batch. */
    private final OutboundCounts counters;

    Outbox(Channel channel, Lifecycle lifecycle, OutboundCounts counters) {
        this.channel = channel;
        this.lifecycle = lifecycle;
        this.counters = counters;
    }

    /** The bytes queued here and not yet written. */
    long bytes() {
        return bytes.get();
    }

    /**
     * Queues {@code frame} of {@code size} payload bytes, which count against the limit until it is
     * written (and then as sent); takes ownership of it. Any thread.
     */
    void add(WebSocketFrame frame, int size) {
        bytes.addAndGet(size);
        frames.offer(new Pending(frame, size));
        if (scheduled.compareAndSet(false, true) && !Loops.execute(channel.eventLoop(), this)) {
            discard();
        }
    }

    /** The loop has stopped, and the channel with it: the frames have nowhere to go. */
    private void discard() {
        scheduled.set(false); // a later add finds the loop stopped too, and comes here
        Pending pending;
        while ((pending = frames.poll()) != null) {
            bytes.addAndGet(-pending.size());
            pending.frame().release();
        }
    }

    /**
     * Writes what is queued, counts what it wrote as sent (once, before the flush: the count never
     * lags what the client has), then flushes. What a close overtook is released, uncounted. On the loop.
     */
    @Override
    public void run() {
        scheduled.set(false);
        int written = 0;
        long writtenBytes = 0;
        Pending pending;
        while ((pending = frames.poll()) != null) {
            bytes.addAndGet(-pending.size());
            if (lifecycle.open()) { // sent before any close: the close task comes after this one
                channel.write(pending.frame(), channel.voidPromise());
                written++;
                writtenBytes += pending.size();
            } else {
                pending.frame().release();
            }
        }
        if (written > 0) {
            counters.onSent(written, writtenBytes);
            channel.flush();
        }
    }
}
