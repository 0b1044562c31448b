/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.scenario;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.switchboard.bench.client.ClientFrames;
import io.switchboard.bench.client.Tally;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * One echo connection of the generator: answers every echo with the next numbered message, the
 * answers to one socket read gathered in one buffer and written with one flush (as a real client
 * batching its sends would, and so that the generator's system calls are not the limit). Counts
 * echoes that skip or repeat a number, and times each one.
 *
 * <p>Not thread-safe: everything but {@link #tally()} after the close runs on the channel's event loop.
 */
final class EchoConnection implements ClientFrames.Listener {

    private final EchoFrame frame;
    private final LongAdder echoes;
    private final Recorder latency;
    private final AtomicBoolean running;
    private final int window;
    private final Tally tally = new Tally();
    private long nextSequence;
    private ByteBuf batch;

    EchoConnection(EchoFrame frame, int window, LongAdder echoes, Recorder latency, AtomicBoolean running) {
        this.frame = frame;
        this.window = window;
        this.echoes = echoes;
        this.latency = latency;
        this.running = running;
    }

    /** Sends the first {@code window} messages; call on the channel's event loop. */
    void start(Channel channel) {
        ByteBuf first = channel.alloc().directBuffer(frame.length() * window);
        for (int i = 0; i < window; i++) {
            frame.writeTo(first, nextSequence++, System.nanoTime());
        }
        channel.writeAndFlush(first, channel.voidPromise());
    }

    @Override
    public void onFrame(ChannelHandlerContext ctx, int opcode, ByteBuf payload, int index, int length) {
        long now = System.nanoTime();
        tally.accept(frame.sequence(payload, index));
        latency.recordValue(Math.max(1, (now - frame.sentAt(payload, index)) / 1000));
        echoes.increment();
        if (running.get()) {
            if (batch == null) {
                batch = ctx.alloc().directBuffer(frame.length() * window);
            }
            frame.writeTo(batch, nextSequence++, now);
        }
    }

    @Override
    public void onReadComplete(ChannelHandlerContext ctx) {
        if (batch != null) {
            ctx.writeAndFlush(batch, ctx.voidPromise());
            batch = null;
        }
    }

    /** The count of echoed numbers; read it once the channel is closed. */
    Tally tally() {
        return tally;
    }
}
