/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.ops;

import io.switchboard.engine.StoreStatus;
import io.switchboard.http.HttpHandler;
import io.switchboard.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether this node should be sent new connections, as {@code /readyz} tells a load balancer: not
 * before whoever starts it says it has started ({@link #started()}: everything behind the routes
 * runs), not from the moment its drain starts ({@link #drain()}, which never ends), nor while a shared store it
 * depends on (the engine's or the history's Redis, through {@link StoreStatus}) is unavailable, and
 * ready again when the store answers. A part kept in this process is always available.
 *
 * <p>Thread-safe: the start and the drain are volatile flags, the stores are asked at each request.
 */
public final class Readiness {

    private final Map<String, StoreStatus> stores;
    private volatile boolean started;
    private volatile boolean draining;

    /**
     * Readiness depending on {@code parts} by name ("engine", "history"); those that are no
     * {@link StoreStatus} (kept in this process) never make the node unready. Not ready until
     * {@link #started()}.
     */
    public Readiness(Map<String, ?> parts) {
        Map<String, StoreStatus> shared = new LinkedHashMap<>();
        parts.forEach((name, part) -> {
            if (part instanceof StoreStatus status) {
                shared.put(Objects.requireNonNull(name, "name"), status);
            }
        });
        this.stores = Map.copyOf(shared);
    }

    /** The node serves: ready from now on, unless it drains or a store is down. */
    public void started() {
        started = true;
    }

    /** From now on the node is not ready: it is leaving. */
    public void drain() {
        draining = true;
    }

    /** Whether {@link #drain()} was called. */
    public boolean draining() {
        return draining;
    }

    /** Why the node is not ready now, one sentence each; empty when it is. */
    public List<String> reasons() {
        List<String> reasons = new ArrayList<>();
        if (!started) {
            reasons.add("starting: the node does not serve yet");
        }
        if (draining) {
            reasons.add("draining: the node is shutting down");
        }
        stores.entrySet().stream()
                .filter(store -> !store.getValue().available())
                .map(store -> "the " + store.getKey() + "'s store (Redis) is unavailable")
                .sorted()
                .forEach(reasons::add);
        return reasons;
    }

    /** Whether the node should get new connections now. */
    public boolean ready() {
        return reasons().isEmpty();
    }

    /**
     * The {@code /readyz} handler: 200 {@code {"status":"ready"}}, or 503
     * {@code {"status":"not ready","reasons":[...]}}.
     */
    public HttpHandler handler() {
        return request -> {
            List<String> reasons = reasons();
            return reasons.isEmpty()
                    ? HttpResponse.json(200, Map.of("status", "ready"))
                    : HttpResponse.json(503, Map.of("status", "not ready", "reasons", reasons));
        };
    }
}
