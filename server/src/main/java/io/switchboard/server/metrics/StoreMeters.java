/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.engine.StoreStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The shared store's state and calls as meters: {@code switchboard_engine_up} (1 while every store
 * the node uses answers; 1 always for a node with none), and per operation a latency timer and an
 * error counter, fed by {@link StoreStatus#onCall}. A call refused unsent ({@link
 * StoreStatus.CallListener#NOT_SENT}) is an error with no latency: timing it would drag the latencies
 * down just while the store is out. {@code publish}, one call per broadcast that crosses nodes, is
 * not timed either, only its failures counted: a broadcast stays one map lookup away from its metrics,
 * and the same round trip is timed by the other operations (the heartbeat, every second or so).
 * Operation names come from the store's fixed set; past {@link #MAX_OPERATIONS} of them (a store that
 * broke its promise) the rest count as {@code other}.
 */
final class StoreMeters implements StoreStatus.CallListener {

    /** The most operation names kept as labels. */
    static final int MAX_OPERATIONS = 32;

    /** Where operations past {@link #MAX_OPERATIONS} are counted. */
    static final String OTHER = "other";

    /** Operations whose failures are counted but whose time is not: those on the broadcast path. */
    private static final Set<String> UNTIMED = Set.of("publish");

    /** Latency buckets, so a dashboard can draw quantiles across nodes: 0.5 ms to 2.5 s. */
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1).dividedBy(2),
        Duration.ofMillis(1),
        Duration.ofMillis(2),
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500)
    };

    private final MeterRegistry registry;
    private final Map<String, Meters> operations = new ConcurrentHashMap<>();

    private StoreMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Registers the meters of {@code stores} (the engine, the history: those that are StoreStatus) and
     * listens to their calls; returns the listener.
     */
    static StoreMeters bind(MeterRegistry registry, List<StoreStatus> stores) {
        Gauge.builder("switchboard.engine.up", stores, StoreMeters::up)
                .description("1 while the shared store (Redis) answers, 0 while it does not; 1 with no shared store")
                .strongReference(true) // the list is this gauge's alone: held weakly, it would be collected
                .register(registry);
        StoreMeters meters = new StoreMeters(registry);
        stores.forEach(store -> store.onCall(meters));
        return meters;
    }

    private static double up(List<StoreStatus> stores) {
        return stores.stream().allMatch(StoreStatus::available) ? 1 : 0;
    }

    @Override
    public void call(String operation, long nanos, boolean failed) {
        Meters meters = operations.get(operation);
        if (meters == null) {
            meters = firstCall(operation);
        }
        if (meters.timer() != null && nanos >= 0) {
            meters.timer().record(nanos, TimeUnit.NANOSECONDS);
        }
        if (failed) {
            meters.errors().increment();
        }
    }

    /**
     * The meters of an operation not seen yet: registered under its own name while there are fewer
     * than {@link #MAX_OPERATIONS}, else under {@link #OTHER}. Locked, so that the count checked is the
     * count registered: only a store that broke its promise comes here more than 32 times.
     */
    private synchronized Meters firstCall(String operation) {
        Meters known = operations.get(operation);
        if (known != null) {
            return known;
        }
        String name = operations.size() < MAX_OPERATIONS ? operation : OTHER;
        return operations.computeIfAbsent(name, this::register);
    }

    private Meters register(String operation) {
        Timer timer = UNTIMED.contains(operation)
                ? null
                : Timer.builder("switchboard.engine.call")
                        .description("Calls to the shared store that were sent, by operation, failed ones included")
                        .tag("operation", operation)
                        .serviceLevelObjectives(BUCKETS)
                        .register(registry);
        Counter errors = Counter.builder("switchboard.engine.errors")
                .description("Calls to the shared store that failed (an error reply, a timeout, the link down)")
                .tag("operation", operation)
                .register(registry);
        return new Meters(timer, errors);
    }

    /** One operation's meters; {@code timer} is null for an operation not timed. */
    private record Meters(Timer timer, Counter errors) {}
}
