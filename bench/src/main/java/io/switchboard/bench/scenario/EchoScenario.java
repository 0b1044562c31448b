/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.scenario;

import io.netty.channel.Channel;
import io.switchboard.bench.client.Connector;
import io.switchboard.bench.server.ServerHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * {@code echo}: C connections each keep W numbered messages of P bytes ({@code --frames binary} or
 * {@code text}) in flight on {@code /ws/echo}; every echo is timed and answered by the next message,
 * the answers to one read flushed together. Messages per second and per server CPU-second, and
 * echoes that skipped (lost) or repeated (duplicated) a number.
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
        String frames = options.string("frames", "binary");
        EchoFrame frame = EchoFrame.of(frames, options.integer("payload", 32));
        int warmup = options.integer("warmup", 3);
        int duration = options.integer("duration", 10);
        LongAdder echoes = new LongAdder();
        Recorder latency = Window.latencyRecorder();
        AtomicBoolean running = new AtomicBoolean(true);
        List<EchoConnection> echoers = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            echoers.add(new EchoConnection(frame, window, echoes, latency, running));
        }
        List<Channel> channels = Clients.open(
                connector,
                server.ws("/ws/echo"),
                connections,
                Clients.sources(options.integer("sources", 1), 0),
                200,
                echoers::get);
        for (int i = 0; i < connections; i++) {
            Channel channel = channels.get(i);
            EchoConnection echoer = echoers.get(i);
            channel.eventLoop().execute(() -> echoer.start(channel));
        }
        Window measured = Window.measure("echo", server, warmup, duration, echoes::sum, latency);
        running.set(false);
        Clients.closeAll(channels);
        Result result = new Result(name(), server.kind())
                .put("connections", connections)
                .put("window", window)
                .put("frames", frames)
                .put("payload", frame.payload())
                .put("lost", echoers.stream().mapToLong(e -> e.tally().lost()).sum())
                .put(
                        "duplicated",
                        echoers.stream().mapToLong(e -> e.tally().duplicated()).sum());
        return measured.checkSaturated(measured.into(result, "messages"));
    }
}
