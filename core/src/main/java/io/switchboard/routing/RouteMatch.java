/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.routing;

import io.switchboard.http.HttpHandler;
import io.switchboard.session.WebSocketHandler;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A route that matched a path, and the values of its path parameters: what serves the request, and
 * with which options. The route itself stays inside this package.
 */
public final class RouteMatch {

    private final Route route;
    private final Map<String, String> params;

    RouteMatch(Route route, Map<String, String> params) {
        this.route = route;
        this.params = Map.copyOf(params);
    }

    /** The path parameter values by name, decoded. */
    public Map<String, String> params() {
        return params;
    }

    /** Whether the route accepts WebSocket upgrades. */
    public boolean acceptsWebSocket() {
        return route.acceptsWebSocket();
    }

    /** Whether the route serves plain HTTP requests. */
    public boolean acceptsHttp() {
        return route.acceptsHttp();
    }

    /** Serves plain HTTP requests, or {@code null} for a WebSocket-only route. */
    public HttpHandler http() {
        return route.http();
    }

    /** Makes one handler per WebSocket connection, or {@code null} for an HTTP-only route. */
    public Supplier<WebSocketHandler> websocket() {
        return route.websocket();
    }

    /** The route's pattern as declared ({@code /ws/rooms/{room}}): a bounded name for logs and metrics, unlike the path. */
    public String pattern() {
        return route.pattern().text();
    }

    /** What the route's WebSocket side sets instead of the server's limits. */
    public WebSocketOptions options() {
        return route.options();
    }

    Route route() {
        return route;
    }

    @Override
    public String toString() {
        return "RouteMatch[" + route.pattern() + " " + params + "]";
    }
}
