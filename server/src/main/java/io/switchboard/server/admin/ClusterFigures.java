/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.admin;

import io.switchboard.engine.History;
import io.switchboard.json.Json;
import io.switchboard.json.JsonException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The nodes of a cluster and their figures, shared through the {@link History} every node already
 * has: each appends its {@link NodeFigures} to one reserved stream, which lives a short while after
 * the last append, and a reader takes the newest of each node heard from lately. On one node with an
 * in-memory history it lists that node alone.
 *
 * <p>The stream's name has none of the prefixes client-facing streams have ({@code chat:},
 * {@code channel:}), so no room or channel can be named onto it and no client reads it.
 */
final class ClusterFigures {

    /** The reserved stream. */
    static final String STREAM = "switchboard.admin.nodes";

    /** A node not heard from for this long has left the list. */
    static final Duration STALE = Duration.ofSeconds(10);

    /** Enough entries for 50 nodes sharing every two seconds over {@link #STALE}; gone 30 s after the last. */
    private static final History.Keep KEEP = new History.Keep(256, Duration.ofSeconds(30));

    private final History history;
    private final Clock clock;

    ClusterFigures(History history, Clock clock) {
        this.history = history;
        this.clock = clock;
    }

    /** Shares this node's {@code figures}. */
    CompletionStage<History.Entry> share(NodeFigures figures) {
        String payload = Json.write(figures);
        return history.append(STREAM, id -> payload, KEEP, entry -> {});
    }

    /** The newest figures of every node heard from within {@link #STALE}, by node id. */
    CompletionStage<List<NodeFigures>> nodes() {
        return history.latest(STREAM, KEEP.entries()).thenApply(this::newestPerNode);
    }

    private List<NodeFigures> newestPerNode(List<History.Entry> entries) {
        long oldest = clock.millis() - STALE.toMillis();
        Map<String, NodeFigures> byNode = new LinkedHashMap<>();
        for (History.Entry entry : entries) {
            NodeFigures figures = read(entry.payload());
            if (figures != null && figures.at() >= oldest) {
                byNode.merge(figures.node(), figures, (a, b) -> b.at() >= a.at() ? b : a);
            }
        }
        return new ArrayList<>(byNode.values());
    }

    private static NodeFigures read(String payload) {
        try {
            return Json.read(payload, NodeFigures.class);
        } catch (JsonException e) { // written by another version: not this page's to show
            return null;
        }
    }
}
