/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.routing;

import io.switchboard.http.HttpHandler;
import io.switchboard.session.WebSocketHandler;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One entry of a {@link Router}: a path pattern and what serves it. A route has an HTTP handler, a
 * WebSocket handler supplier, or both (a plain request goes to the first, an upgrade to the second).
 *
 * @param pattern the path pattern
 * @param http serves plain HTTP requests, or {@code null} for a WebSocket-only route (426)
 * @param websocket makes one handler per WebSocket connection, or {@code null} for an HTTP-only route
 * @param options what the WebSocket side sets instead of the server's limits
 */
record Route(PathPattern pattern, HttpHandler http, Supplier<WebSocketHandler> websocket, WebSocketOptions options) {

    Route {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(options, "options");
        if (http == null && websocket == null) {
            throw new IllegalArgumentException("route '" + pattern + "' has no handler");
        }
    }

    /** A route with the server's limits. */
    Route(PathPattern pattern, HttpHandler http, Supplier<WebSocketHandler> websocket) {
        this(pattern, http, websocket, WebSocketOptions.DEFAULTS);
    }

    /** Whether the route accepts WebSocket upgrades. */
    boolean acceptsWebSocket() {
        return websocket != null;
    }

    /** Whether the route serves plain HTTP requests. */
    boolean acceptsHttp() {
        return http != null;
    }

    Route under(PathPattern prefix) {
        return new Route(pattern.under(prefix), http, websocket, options);
    }
}
