/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.switchboard.routing.WebSocketOptions;
import io.switchboard.security.Origins;
import io.switchboard.stats.Refusal;
import io.switchboard.transport.http.ConnectionSlots;
import io.switchboard.transport.http.Handshake;
import io.switchboard.transport.http.LastPass;
import java.util.List;

/**
 * The checks between a well-formed upgrade request and its handler: the origin allow-list (403),
 * then a connection slot (503 when the server is full, 429 when the client's address is). Counts
 * each refusal.
 */
final class Admission {

    /** The Origin check, remembering the last inputs it passed. */
    private static final LastPass<OriginInputs> ORIGINS = new LastPass<>(
            inputs -> Origins.allowed(inputs.origin(), inputs.host(), inputs.secure(), inputs.allowed()));

    private final ServerContext server;
    private final ConnectionSlots slots;

    /** Everything the Origin check's answer depends on. */
    private record OriginInputs(String origin, String host, boolean secure, List<String> allowed) {}

    Admission(ServerContext server) {
        this.server = server;
        this.slots = new ConnectionSlots(
                server.limits().capacity().maxConnections(),
                server.limits().capacity().maxConnectionsPerAddress());
    }

    /** {@code offer} to let the upgrade go on (holding a slot until the channel closes), else the refusal. */
    Handshake.Result admit(Channel channel, FullHttpRequest request, WebSocketOptions options, Handshake.Offer offer) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (!ORIGINS.test(
                new OriginInputs(origin, host, server.tls() != null, options.allowedOrigins(server.limits())))) {
            String shown = origin.length() > 100 ? origin.substring(0, 100) + "..." : origin;
            server.counters().onRefused(Refusal.ORIGIN);
            return new Handshake.Refusal(403, "origin '" + shown + "' is not allowed");
        }
        ConnectionSlots.Refused refused = slots.acquire(channel);
        if (refused == null) {
            return offer;
        }
        server.counters().onRefused(Refusal.LIMITS);
        return switch (refused) {
            case SERVER_FULL ->
                new Handshake.Refusal(
                        503,
                        "the server holds its maximum of "
                                + server.limits().capacity().maxConnections() + " connections");
            case ADDRESS_FULL ->
                new Handshake.Refusal(
                        429,
                        "too many connections from this address (at most "
                                + server.limits().capacity().maxConnectionsPerAddress() + ")");
        };
    }
}
