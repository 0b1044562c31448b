/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.routing;

import io.switchboard.blocking.BlockingHandler;
import io.switchboard.http.HttpHandler;
import io.switchboard.http.StaticFiles;
import io.switchboard.session.WebSocketHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An immutable table of routes, built once. A router can be mounted inside another under a prefix,
 * so applications compose. A duplicate or malformed route fails {@link Builder#build()} with a
 * message naming it.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *         .websocket("/ws/chat/{room}", ChatHandler::new)
 *         .http("/healthz", request -> HttpResponse.json(200, Map.of("status", "ok")))
 *         .files("/", StaticFiles.classpath("web"))
 *         .build();
 * }</pre>
 *
 * <p>Matching is by decoded path segments; when several patterns match, the most specific wins (a
 * literal segment beats a parameter, which beats a rest parameter).
 */
public final class Router {

    private final List<Route> routes;
    private final Map<String, Route> literal;

    private Router(List<Route> routes) {
        this.routes = routes;
        Map<String, Route> byPath = new HashMap<>();
        for (Route route : routes) {
            // Only ASCII literals take the shortcut: a raw path is bytes read as ISO-8859-1, and a
            // non-ASCII literal must be reached by decoding, or invalid UTF-8 could spell it.
            if (route.pattern().isLiteral() && route.pattern().text().chars().allMatch(c -> c < 0x80)) {
                byPath.put(route.pattern().text(), route);
            }
        }
        this.literal = Map.copyOf(byPath);
    }

    /** A builder for a new router. */
    public static Builder builder() {
        return new Builder();
    }

    /** Every route, most specific first. */
    List<Route> routes() {
        return routes;
    }

    /**
     * The route for {@code path} (raw, as in the request line, without the query), if any. Segments
     * are percent-decoded before matching; a path that cannot be decoded matches nothing.
     */
    public Optional<RouteMatch> match(String path) {
        Route exact = literal.get(path);
        if (exact != null) {
            return Optional.of(new RouteMatch(exact, Map.of()));
        }
        List<String> segments = PathSegments.decode(path);
        if (segments == null) {
            return Optional.empty();
        }
        for (Route route : routes) {
            Map<String, String> params = route.pattern().match(segments);
            if (params != null) {
                return Optional.of(new RouteMatch(route, params));
            }
        }
        return Optional.empty();
    }

    /** Collects routes; {@link #build()} checks them and makes the router. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();

        private Builder() {}

        /** A WebSocket-only route: a plain HTTP request gets 426 Upgrade Required. */
        public Builder websocket(String pattern, Supplier<? extends WebSocketHandler> handlers) {
            Objects.requireNonNull(handlers, "handlers");
            return add(new Route(PathPattern.parse(pattern), null, handlers::get));
        }

        /** A WebSocket-only route with its own {@code options} (rate limit, allowed origins). */
        public Builder websocket(
                String pattern, Supplier<? extends WebSocketHandler> handlers, WebSocketOptions options) {
            Objects.requireNonNull(handlers, "handlers");
            return add(new Route(PathPattern.parse(pattern), null, handlers::get, options));
        }

        /** A WebSocket-only route served by a blocking function (see {@link BlockingHandler}). */
        public Builder blocking(String pattern, BlockingHandler function) {
            return websocket(pattern, BlockingHandler.adapt(function));
        }

        /** A blocking route with its own {@code options} (rate limit, allowed origins). */
        public Builder blocking(String pattern, BlockingHandler function, WebSocketOptions options) {
            return websocket(pattern, BlockingHandler.adapt(function), options);
        }

        /** An HTTP-only route: an upgrade request is served as plain HTTP. */
        public Builder http(String pattern, HttpHandler handler) {
            Objects.requireNonNull(handler, "handler");
            return add(new Route(PathPattern.parse(pattern), handler, null));
        }

        /** A route serving both: plain requests go to {@code http}, upgrades to {@code handlers}. */
        public Builder route(String pattern, HttpHandler http, Supplier<? extends WebSocketHandler> handlers) {
            Objects.requireNonNull(http, "http");
            Objects.requireNonNull(handlers, "handlers");
            return add(new Route(PathPattern.parse(pattern), http, handlers::get));
        }

        /**
         * Serves {@code files} under {@code prefix}: {@code prefix/a/b.css} is the file {@code a/b.css};
         * {@code prefix} itself is {@code index.html}.
         */
        public Builder files(String prefix, StaticFiles files) {
            Objects.requireNonNull(files, "files");
            PathPattern base = PathPattern.parse(prefix);
            add(new Route(base, files, null));
            return add(new Route(
                    PathPattern.parse("/{" + StaticFiles.FILE_PARAM + "...}").under(base), files, null));
        }

        /** Every route of {@code router}, below {@code prefix}. */
        public Builder mount(String prefix, Router router) {
            PathPattern base = PathPattern.parse(prefix);
            for (Route route : router.routes) {
                add(route.under(base));
            }
            return this;
        }

        private Builder add(Route route) {
            routes.add(route);
            return this;
        }

        /** The router. Fails if two routes have the same shape, naming both. */
        public Router build() {
            Map<String, Route> byShape = new HashMap<>();
            for (Route route : routes) {
                Route previous = byShape.putIfAbsent(route.pattern().shape(), route);
                if (previous != null) {
                    throw new IllegalArgumentException("duplicate route '" + route.pattern() + "': '"
                            + previous.pattern() + "' already matches the same paths");
                }
            }
            List<Route> sorted = new ArrayList<>(routes);
            sorted.sort((a, b) -> a.pattern().compareTo(b.pattern()));
            return new Router(List.copyOf(sorted));
        }
    }
}
