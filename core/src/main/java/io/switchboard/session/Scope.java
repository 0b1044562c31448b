/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known about a connection or request before a handler runs. Immutable; the same scope is
 * seen by the authenticator, by {@code onConnect} and by every later callback.
 *
 * @param scheme {@code http}, {@code https}, {@code ws} or {@code wss}
 * @param path the request path, percent-decoded
 * @param pathParams values of the route's named path parameters
 * @param query query parameters, each with all its values in order
 * @param headers request headers
 * @param cookies cookies sent with the request
 * @param remoteAddress the peer's address
 * @param subprotocols the subprotocols the client offered, in its order of preference
 */
public record Scope(
        String scheme,
        String path,
        Map<String, String> pathParams,
        Map<String, List<String>> query,
        Headers headers,
        Map<String, String> cookies,
        InetSocketAddress remoteAddress,
        List<String> subprotocols) {

    public Scope {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(path, "path");
        pathParams = Map.copyOf(pathParams);
        query = copyQuery(query);
        Objects.requireNonNull(headers, "headers");
        cookies = Map.copyOf(cookies);
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        subprotocols = List.copyOf(subprotocols);
    }

    /** A builder, mostly for tests and the communicator. */
    public static Builder builder(String path) {
        return new Builder(path);
    }

    /** The value of a named path parameter of the route; fails when the route has no such name. */
    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the route has no path parameter named '" + name + "'");
        }
        return value;
    }

    /** The first value of query parameter {@code name}, if present. */
    public Optional<String> queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The first value of header {@code name}, if present. */
    public Optional<String> header(String name) {
        return headers.first(name);
    }

    /** The value of cookie {@code name}, if present. */
    public Optional<String> cookie(String name) {
        return Optional.ofNullable(cookies.get(name));
    }

    /** A copy of this scope with the given path parameters (the router fills them in). */
    public Scope withPathParams(Map<String, String> params) {
        return new Scope(scheme, path, params, query, headers, cookies, remoteAddress, subprotocols);
    }

    private static Map<String, List<String>> copyQuery(Map<String, List<String>> query) {
        if (query.isEmpty()) {
            return java.util.Collections.emptyMap(); // most have no query: no map each (and get(null) answers null)
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        query.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        return java.util.Collections.unmodifiableMap(copy);
    }

    /** Builds a scope by hand. */
    public static final class Builder {
        private final String path;
        private String scheme = "ws";
        private Map<String, String> pathParams = Map.of();
        private final Map<String, List<String>> query = new LinkedHashMap<>();
        private final Headers.Builder headers = Headers.builder();
        private final Map<String, String> cookies = new LinkedHashMap<>();
        private InetSocketAddress remoteAddress = new InetSocketAddress("127.0.0.1", 50000);
        private List<String> subprotocols = List.of();

        private Builder(String path) {
            this.path = path;
        }

        public Builder scheme(String value) {
            this.scheme = value;
            return this;
        }

        public Builder pathParams(Map<String, String> params) {
            this.pathParams = params;
            return this;
        }

        public Builder query(String name, String value) {
            query.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(value);
            return this;
        }

        public Builder header(String name, String value) {
            headers.add(name, value);
            return this;
        }

        public Builder cookie(String name, String value) {
            cookies.put(name, value);
            return this;
        }

        public Builder remoteAddress(InetSocketAddress address) {
            this.remoteAddress = address;
            return this;
        }

        public Builder subprotocols(List<String> offered) {
            this.subprotocols = offered;
            return this;
        }

        public Scope build() {
            return new Scope(scheme, path, pathParams, query, headers.build(), cookies, remoteAddress, subprotocols);
        }
    }
}
