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
import io.switchboard.bench.client.Connector;
import io.switchboard.bench.client.Payload;
import io.switchboard.bench.server.ServerHandle;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * {@code echo}: C connections each keep W messages of P bytes in flight on {@code /ws/echo}; every
 * echo is timed and answered by a new message. Messages per second and per server CPU-second.
 */
public final class EchoScenario implements Scenario {

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public Result run(ServerHandle server, Options options, Connector connector) throws Exception {
        int connections = options.integer("connections", 100);
        int window = options.integer("window", 8);
        int payload = Math.max(Payload.MIN_BINARY, options.integer("payload", 32));
        int warmup = options.integer("warmup", 3);
        int duration = options.integer("duration", 10);
        LongAdder echoes = new LongAdder();
        Recorder latency = Window.latencyRecorder();
        AtomicBoolean running = new AtomicBoolean(true);

        ClientFrames.Listener listener = (ctx, opcode, buf, index, length) -> {
            long now = System.nanoTime();
            latency.recordValue(Math.max(1, (now - Payload.sentAt(buf, index)) / 1000));
            echoes.increment();
            if (running.get()) {
                send(ctx, payload, now);
            }
        };
        List<Channel> channels = Clients.open(
                connector,
                server.ws("/ws/echo"),
                connections,
                Clients.sources(options.integer("sources", 1), 0),
                200,
                i -> listener);
        for (Channel channel : channels) {
            channel.eventLoop().execute(() -> {
                for (int i = 0; i < window; i++) {
                    channel.write(frame(channel, payload, System.nanoTime()));
                }
                channel.flush();
            });
        }
        Window measured = Window.measure("echo", server, warmup, duration, echoes::sum, latency);
        running.set(false);
        Clients.closeAll(channels);
        Result result = new Result(name(), server.kind())
                .put("connections", connections)
                .put("window", window)
                .put("payload", payload);
        return measured.checkSaturated(measured.into(result, "messages"));
    }

    private static void send(ChannelHandlerContext ctx, int payload, long now) {
        ctx.writeAndFlush(frame(ctx.channel(), payload, now));
    }

    private static ByteBuf frame(Channel channel, int payload, long now) {
        ByteBuf frame = ClientFrames.header(channel.alloc(), ClientFrames.BINARY, payload);
        Payload.writeBinary(frame, 0, now, payload);
        return frame;
    }
}
