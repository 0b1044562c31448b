/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.ops;

import io.switchboard.http.HttpHandler;
import io.switchboard.http.HttpResponse;
import io.switchboard.routing.Router;
import java.util.Map;
import java.util.Objects;

/**
 * The routes an operator's tools use rather than clients, gathered in one place so that {@code serve}
 * puts them all either beside the clients' routes on the main port or alone on the internal listener:
 *
 * <ul>
 *   <li>{@code GET /healthz} liveness: 200 {@code {"status":"ok"}} while the process serves;
 *   <li>{@code GET /readyz} readiness (see {@link Readiness});
 *   <li>{@code /metrics}, when a handler is given to {@link #metrics};
 *   <li>{@code /admin} and everything under it, when a router is given to {@link #admin};
 *   <li>{@code /api/<method>}, the server API, when a handler is given to {@link #serverApi}.
 * </ul>
 *
 * <p>The routes are fixed when the server's router is built, before the server starts: a handler that
 * needs the started server (its stats, its hub) is made first and given the server afterwards, as
 * {@code Application.start(server)} does. Not thread-safe: set it up on one thread, then build.
 */
public final class OperationalRoutes {

    /** The liveness route. */
    public static final String HEALTH_PATH = "/healthz";

    /** The readiness route. */
    public static final String READY_PATH = "/readyz";

    /** The metrics route. */
    public static final String METRICS_PATH = "/metrics";

    /** The prefix of the admin page's routes. */
    public static final String ADMIN_PREFIX = "/admin";

    private final Readiness readiness;
    private HttpHandler metrics;
    private Router admin;
    private String apiPath;
    private HttpHandler api;

    /** The probes, with {@code readiness} behind {@code /readyz}; nothing else until added. */
    public OperationalRoutes(Readiness readiness) {
        this.readiness = Objects.requireNonNull(readiness, "readiness");
    }

    /** The readiness behind {@code /readyz}. */
    public Readiness readiness() {
        return readiness;
    }

    /** Serves {@code handler} (the Prometheus scrape) on {@link #METRICS_PATH}. */
    public OperationalRoutes metrics(HttpHandler handler) {
        this.metrics = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /** Mounts {@code router} (its {@code /} is the page) under {@link #ADMIN_PREFIX}. */
    public OperationalRoutes admin(Router router) {
        this.admin = Objects.requireNonNull(router, "router");
        return this;
    }

    /** Serves the server API {@code handler} on {@code path} (a pattern such as {@code /api/{method}}). */
    public OperationalRoutes serverApi(String path, HttpHandler handler) {
        this.apiPath = Objects.requireNonNull(path, "path");
        this.api = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /** Adds every operational route to {@code routes}, beside the clients' (no internal listener). */
    public Router.Builder addTo(Router.Builder routes) {
        routes.http(HEALTH_PATH, request -> HttpResponse.json(200, Map.of("status", "ok")))
                .http(READY_PATH, readiness.handler());
        if (metrics != null) {
            routes.http(METRICS_PATH, metrics);
        }
        if (admin != null) {
            routes.mount(ADMIN_PREFIX, admin);
        }
        if (api != null) {
            routes.http(apiPath, api);
        }
        return routes;
    }

    /** A router of the operational routes alone, for the internal listener. */
    public Router router() {
        return addTo(Router.builder()).build();
    }
}
