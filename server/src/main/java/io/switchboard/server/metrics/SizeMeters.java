/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.channels.Channels;
import io.switchboard.channels.ChannelsApi.NodeInfo;
import io.switchboard.engine.Engine;
import io.switchboard.engine.History;
import io.switchboard.engine.InMemoryEngine;
import io.switchboard.engine.InMemoryHistory;
import java.util.function.ToDoubleFunction;

/**
 * How much the node holds, as gauges read at scrape time. Only what is cheap to read here: a history or
 * engine kept in Redis is not measured (counting it would scan the store on every scrape), and the
 * channels' figures are this node's, as the server API's {@code info} reports them.
 */
final class SizeMeters {

    private SizeMeters() {}

    /** The in-memory history's size; nothing for a history kept elsewhere. */
    static void history(MeterRegistry registry, History history) {
        if (!(history instanceof InMemoryHistory kept)) {
            return;
        }
        Gauge.builder("switchboard.history.kept", kept, InMemoryHistory::keptCount)
                .description("Streams and queues the in-memory history keeps now")
                .register(registry);
        Gauge.builder("switchboard.history.memory", kept, InMemoryHistory::keptBytes)
                .description("Bytes the in-memory history keeps now, as counted against its budget")
                .baseUnit("bytes")
                .register(registry);
    }

    /** The in-memory engine's groups; nothing for an engine kept elsewhere. */
    static void engine(MeterRegistry registry, Engine engine) {
        if (engine instanceof InMemoryEngine local) {
            Gauge.builder("switchboard.groups", local, InMemoryEngine::groupCount)
                    .description("Groups with a member now: chat rooms, chat users' own groups, channels")
                    .register(registry);
        }
    }

    /** The channels' connections, users, channels and subscriptions on this node. */
    static void channels(MeterRegistry registry, Channels channels) {
        node(registry, channels, "clients", "Client protocol connections on this node", NodeInfo::numClients);
        node(registry, channels, "users", "Distinct users connected to the channels on this node", NodeInfo::numUsers);
        node(registry, channels, "active", "Channels with a subscriber on this node", NodeInfo::numChannels);
        node(
                registry,
                channels,
                "subscriptions",
                "Channel subscriptions on this node (a client in two channels counts twice)",
                NodeInfo::numSubs);
    }

    private static void node(
            MeterRegistry registry,
            Channels channels,
            String what,
            String description,
            ToDoubleFunction<NodeInfo> figure) {
        Gauge.builder("switchboard.channels." + what, channels, c -> figure.applyAsDouble(thisNode(c)))
                .description(description)
                .register(registry);
    }

    /** This node's figures: {@link Channels#info()} answers at once, from counts kept in memory. */
    private static NodeInfo thisNode(Channels channels) {
        return channels.info().toCompletableFuture().join().getFirst();
    }
}
