/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The header names, and the few values, that nearly every WebSocket handshake carries, one shared
 * copy each: an open connection keeps its headers for life, and ten thousand copies of
 * {@code "sec-websocket-version"} or {@code "websocket"} would be most of what an idle connection
 * holds. A fixed list, so a client cannot make it grow.
 */
final class HeaderWords {

    private static final Map<String, String> NAMES = shared(
            "host",
            "upgrade",
            "connection",
            "origin",
            "sec-websocket-key",
            "sec-websocket-version",
            "sec-websocket-extensions",
            "sec-websocket-protocol",
            "content-length",
            "user-agent",
            "accept",
            "accept-encoding",
            "accept-language",
            "cache-control",
            "pragma",
            "cookie",
            "authorization",
            "x-forwarded-for",
            "x-forwarded-proto",
            "x-real-ip");

    private static final Map<String, String> VALUES = shared(
            "websocket",
            "Websocket",
            "WebSocket",
            "Upgrade",
            "upgrade",
            "keep-alive, Upgrade",
            "13",
            "0",
            "no-cache",
            "gzip, deflate",
            "gzip, deflate, br",
            "gzip, deflate, br, zstd",
            "permessage-deflate",
            "permessage-deflate; client_max_window_bits");

    private HeaderWords() {}

    /** The shared copy of a lower-cased {@code name}, or {@code name} itself. */
    static String name(String name) {
        return NAMES.getOrDefault(name, name);
    }

    /** The shared copy of {@code value}, or {@code value} itself. */
    static String value(String value) {
        return VALUES.getOrDefault(value, value);
    }

    private static Map<String, String> shared(String... words) {
        return Stream.of(words).collect(Collectors.toUnmodifiableMap(Function.identity(), Function.identity()));
    }
}
