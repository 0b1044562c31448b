/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.scenario;

import io.switchboard.bench.client.Connector;
import io.switchboard.bench.server.ServerHandle;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * {@code connect}: C workers each open a WebSocket to {@code /ws/echo}, close it once the handshake
 * is done, and open the next, spreading over source addresses so that ports in TIME_WAIT never
 * run out. Handshakes per second and per server CPU-second; latency is connect to handshake done
 * and closed. The client is {@link Handshakes}, which costs less per handshake than the servers.
 */
public final class ConnectScenario implements Scenario {

    @Override
    public String name() {
        return "connect";
    }

    @Override
    public Result run(ServerHandle server, Options options, Connector connector) throws Exception {
        int concurrency = options.integer("concurrency", 50);
        int warmup = options.integer("warmup", 2);
        int duration = options.integer("duration", 10);
        List<InetAddress> sources = Clients.sources(options.integer("sources", 32), 0);
        LongAdder handshakes = new LongAdder();
        LongAdder failures = new LongAdder();
        Recorder latency = Window.latencyRecorder();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger next = new AtomicInteger();
        try (Handshakes client = new Handshakes(server.ws("/ws/echo"), options.integer("client-threads", 1))) {
            Runnable[] cycle = new Runnable[1];
            cycle[0] = () -> {
                if (!running.get()) {
                    return;
                }
                long start = System.nanoTime();
                InetAddress source = sources.get(Math.floorMod(next.getAndIncrement(), sources.size()));
                client.once(source).whenComplete((done, error) -> {
                    if (error == null) {
                        latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
                        handshakes.increment();
                    } else {
                        failures.increment();
                    }
                    cycle[0].run();
                });
            };
            for (int i = 0; i < concurrency; i++) {
                cycle[0].run();
            }
            Window measured = Window.measure("connect", server, warmup, duration, handshakes::sum, latency);
            running.set(false);
            Result result = new Result(name(), server.kind())
                    .put("concurrency", concurrency)
                    .put("failures", failures.sum());
            return measured.into(result, "handshakes");
        }
    }
}
