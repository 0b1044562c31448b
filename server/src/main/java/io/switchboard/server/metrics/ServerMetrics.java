/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.Server;
import io.switchboard.channels.Channels;
import io.switchboard.engine.Engine;
import io.switchboard.engine.History;
import io.switchboard.engine.StoreStatus;
import io.switchboard.http.HttpHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A node's metrics in a Prometheus registry, served by {@link #handler()} at {@code /metrics}. Made
 * before the server starts (its handler goes into the router), with the JVM's and Netty's meters;
 * {@link #bind} adds the server's once it runs:
 *
 * <pre>{@code
 * ServerMetrics metrics = new ServerMetrics();
 * Router router = Router.builder().http("/metrics", metrics.handler()).mount("/", app.router()).build();
 * Server server = Server.builder().router(router).engine(engine).start();
 * metrics.bind(new ServerMetrics.Node(server, engine, history, app.channels()));
 * }</pre>
 *
 * <p>Thread-safe. Every server meter reads, at scrape time, a number the server keeps anyway; outside
 * a scrape only the store's call listener runs (one timer record per Redis call), and Micrometer's
 * listener of garbage collections.
 */
public final class ServerMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RuntimeMeters runtime = RuntimeMeters.bind(registry);
    private volatile TrafficMeters traffic;

    /**
     * What a node is made of, for its meters.
     *
     * @param server the running server: its {@link Server#stats()}
     * @param engine the engine the server was built with, or null for the server's own in-memory one
     * @param history the history the application keeps streams in, or null for none
     * @param channels the channels, or null for none
     */
    public record Node(Server server, Engine engine, History history, Channels channels) {
        public Node {
            Objects.requireNonNull(server, "server");
        }
    }

    /** Adds the meters of {@code node}. Call it once, after the server started. */
    public synchronized void bind(Node node) {
        if (traffic != null) {
            throw new IllegalStateException("metrics are bound to a server already");
        }
        traffic = TrafficMeters.bind(registry, node.server().stats());
        StoreMeters.bind(registry, stores(node.engine(), node.history()));
        SizeMeters.engine(registry, node.engine());
        SizeMeters.history(registry, node.history());
        if (node.channels() != null) {
            SizeMeters.channels(registry, node.channels());
        }
    }

    private static List<StoreStatus> stores(Object... parts) {
        List<StoreStatus> stores = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof StoreStatus store) {
                stores.add(store);
            }
        }
        return List.copyOf(stores);
    }

    /** Every meter in Prometheus' text exposition format 0.0.4, close codes first seen since the last included. */
    public String scrape() {
        TrafficMeters bound = traffic;
        if (bound != null) {
            bound.refresh();
        }
        return registry.scrape();
    }

    /** Answers {@code GET /metrics} with {@link #scrape()}. */
    public HttpHandler handler() {
        return new MetricsEndpoint(this::scrape);
    }

    /** Stops listening for garbage collections and closes the registry. */
    @Override
    public void close() {
        runtime.close();
        registry.close();
    }
}
