/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.stats.Refusal;
import io.switchboard.stats.ServerStats;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The server's traffic as meters: each one a function over {@link ServerStats}, read at scrape time,
 * so the path a message takes pays nothing for them. Close codes appear as the server first counts
 * them ({@link #refresh()} before each scrape); their number is bounded by {@link
 * ServerStats#closedByCode()}'s own rule (1000–1015, the server's own codes, 0 for any other).
 */
final class TrafficMeters {

    private final MeterRegistry registry;
    private final ServerStats stats;
    private final Set<Integer> closeCodes = ConcurrentHashMap.newKeySet();

    private TrafficMeters(MeterRegistry registry, ServerStats stats) {
        this.registry = registry;
        this.stats = stats;
    }

    /** Registers every meter of {@code stats} with {@code registry}. */
    static TrafficMeters bind(MeterRegistry registry, ServerStats stats) {
        TrafficMeters meters = new TrafficMeters(registry, stats);
        meters.connections();
        meters.messages();
        meters.slowConsumers();
        for (Refusal reason : Refusal.values()) {
            FunctionCounter.builder("switchboard.handshakes.refused", stats, s -> s.refusedByReason()
                            .getOrDefault(reason, 0L))
                    .description("WebSocket handshakes refused before the upgrade, by reason")
                    .tag("reason", reason.label())
                    .register(registry);
        }
        meters.refresh();
        return meters;
    }

    private void connections() {
        Gauge.builder("switchboard.connections", stats, ServerStats::openConnections)
                .description("WebSocket sessions open now")
                .register(registry);
        counter("switchboard.connections.opened", "WebSocket sessions opened", ServerStats::connectionsOpened);
    }

    private void messages() {
        counter("switchboard.messages.received", "Data messages received from clients", ServerStats::messagesIn);
        counter("switchboard.messages.sent", "Data messages written to clients", ServerStats::messagesOut);
        bytes("switchboard.received", "Payload bytes received in data messages", ServerStats::bytesIn);
        bytes("switchboard.sent", "Payload bytes written in data messages", ServerStats::bytesOut);
        counter(
                "switchboard.deliveries",
                "Group broadcasts written to members, one per member",
                ServerStats::deliveries);
        counter("switchboard.rate.limited", "Messages over a connection's rate limit", ServerStats::rateLimited);
    }

    private void slowConsumers() {
        counter(
                "switchboard.slow.consumer.closes",
                "Sessions closed for reading too slowly",
                ServerStats::slowConsumerCloses);
        counter(
                "switchboard.slow.consumer.drops",
                "Messages dropped or conflated away for slow readers",
                ServerStats::slowConsumerDrops);
    }

    /** Registers a counter for each close code counted since the last call. */
    void refresh() {
        for (Integer code : stats.closedByCode().keySet()) {
            if (closeCodes.add(code)) {
                FunctionCounter.builder("switchboard.connections.closed", stats, s -> s.closedByCode()
                                .getOrDefault(code, 0L))
                        .description(
                                "WebSocket sessions closed, by close code (0: a code a client chose outside 1000-1015)")
                        .tag("code", Integer.toString(code))
                        .register(registry);
            }
        }
    }

    private void counter(String name, String description, ToDoubleFunction<ServerStats> count) {
        FunctionCounter.builder(name, stats, count).description(description).register(registry);
    }

    private void bytes(String name, String description, ToDoubleFunction<ServerStats> count) {
        FunctionCounter.builder(name, stats, count)
                .description(description)
                .baseUnit("bytes")
                .register(registry);
    }
}
