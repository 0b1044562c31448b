/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.scenario;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.switchboard.bench.client.ClientFrames;
import io.switchboard.bench.client.Connector;
import io.switchboard.bench.client.Payload;
import io.switchboard.bench.client.Tally;
import io.switchboard.bench.server.ServerHandle;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * {@code broadcast}: N subscribers on {@code /ws/sub}, one publisher on {@code /ws/pub} sending
 * numbered, time-stamped messages of P bytes, either as fast as it can with at most W messages not
 * yet seen by a probe subscriber ({@code --rate max}), or at a fixed rate ({@code --rate N} per
 * second). Every subscriber times every delivery and counts lost and duplicated messages exactly;
 * after the measured window the publisher stops and the run waits for the stragglers.
 */
public final class BroadcastScenario implements Scenario {

    @Override
    public String name() {
        return "broadcast";
    }

    @Override
    public Result run(ServerHandle server, Options options, Connector connector) throws Exception {
        int subscribers = options.integer("subscribers", 1000);
        int payload = Math.max(Payload.MIN_BINARY, options.integer("payload", 64));
        String rate = options.string("rate", "max");
        int window = options.integer("window", 32);
        int warmup = options.integer("warmup", 3);
        int duration = options.integer("duration", 10);
        int sources = options.integer("sources", Math.max(1, subscribers / 10_000 + 1));
        int processes = options.integer("processes", 1);
        int local = subscribers / processes + subscribers % processes;

        Tally[] tallies = new Tally[local];
        LongAdder deliveries = new LongAdder();
        Recorder latency = Window.latencyRecorder();
        AtomicLong probeSeen = new AtomicLong();
        Publisher publisher = new Publisher(
                (alloc, sequence) -> {
                    ByteBuf frame = ClientFrames.header(alloc, ClientFrames.BINARY, payload);
                    Payload.writeBinary(frame, sequence, System.nanoTime(), payload);
                    return frame;
                },
                window,
                probeSeen);

        Workers workers = processes > 1
                ? Workers.start(
                        "subscribe", server.ws("/ws/sub"), processes - 1, subscribers / processes, sources, sources)
                : null;
        List<Channel> subs =
                Clients.open(connector, server.ws("/ws/sub"), local, Clients.sources(sources, 0), 200, i -> {
                    tallies[i] = new Tally();
                    Tally tally = tallies[i];
                    return (ctx, opcode, buf, index, length) -> {
                        latency.recordValue(Math.max(1, (System.nanoTime() - Payload.sentAt(buf, index)) / 1000));
                        tally.accept(Payload.sequence(buf, index));
                        deliveries.increment();
                        if (i == 0) {
                            probeSeen.set(tally.next());
                            publisher.wake();
                        }
                    };
                });
        Channel pub = connector
                .connect(server.ws("/ws/pub"), null, (ctx, op, buf, index, length) -> {})
                .get(30, TimeUnit.SECONDS);
        publisher.start(pub, rate);
        Window measured = Window.measure("broadcast", server, warmup, duration, deliveries::sum, latency, workers);
        long published = publisher.stop();
        long lost = 0;
        long duplicated = 0;
        if (workers != null) {
            long[] remote = workers.stop(published);
            lost += remote[0];
            duplicated += remote[1];
            workers.close();
        }
        for (int i = 0; i < local; i++) {
            Tally tally = awaitTally(subs.get(i), tallies[i], published);
            lost += tally.lostOf(published);
            duplicated += tally.duplicated();
        }
        pub.close();
        Clients.closeAll(subs);
        Result result = new Result(name(), server.kind())
                .put("subscribers", subscribers)
                .put("generator_processes", processes)
                .put("payload", payload)
                .put("rate", rate)
                .put("window", window)
                .put("published", published)
                .put("lost", lost)
                .put("duplicated", duplicated);
        measured.into(result, "deliveries");
        return rate.equals("max") ? measured.checkSaturated(result) : result;
    }

    /**
     * Waits (up to 15 s in all) for a subscriber to have seen every published message, reading its
     * tally on its own event loop so that the reading sees every update.
     */
    static Tally awaitTally(Channel channel, Tally tally, long published) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            long next = channel.eventLoop().submit(tally::next).get(15, TimeUnit.SECONDS);
            if (next >= published || !channel.isActive() || System.nanoTime() > deadline) {
                return channel.eventLoop().submit(() -> tally).get(15, TimeUnit.SECONDS);
            }
            Thread.sleep(10); // stragglers are still in flight; check again shortly
        }
    }
}
