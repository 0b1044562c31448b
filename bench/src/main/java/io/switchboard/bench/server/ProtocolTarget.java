/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.server;

import io.switchboard.Server;
import io.switchboard.channels.Channels;
import io.switchboard.channels.NamespaceOptions;
import io.switchboard.channels.Namespaces;
import io.switchboard.http.HttpResponse;
import io.switchboard.routing.Router;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Switchboard serving Centrifugo's client protocol on {@code /connection/websocket}, the channels
 * module mounted as a user would mount it, plus {@code GET /stats}: the server of the
 * {@code channels} and {@code conflation} scenarios, with the same limits as the plain targets.
 * Tokens are HS256 with {@link #SECRET}. Namespaces: channels without one have the defaults (history,
 * recovery, presence, join/leave); {@code plain:} keeps no history and sends no join/leave;
 * {@code conflated:} is the defaults plus latest-value conflation on the data's field {@code "k"}.
 */
public final class ProtocolTarget {

    /** The HS256 secret the bench's protocol server verifies connection tokens with. */
    public static final String SECRET = "switchboard-bench-secret-of-32-bytes!";

    private ProtocolTarget() {}

    /** Starts the server on {@code host:port} with {@code threads} event loops. */
    public static Server start(String host, int port, int threads) {
        return start(host, port, threads, SwitchboardTarget.BENCH_OUTBOUND_BUFFER, false);
    }

    /**
     * As {@link #start(String, int, int)}, with each connection's outbound buffer limit (tests make it
     * small) and, when {@code onTheLoop}, the protocol's handler run on the event loop (see {@link OnTheLoop}).
     */
    public static Server start(String host, int port, int threads, int outboundBufferBytes, boolean onTheLoop) {
        Channels channels = Channels.builder()
                .namespaces(namespaces())
                .tokens(BenchTokens.hs256(SECRET.getBytes(StandardCharsets.UTF_8)))
                .build();
        Server[] self = new Server[1];
        Router routes = Router.builder()
                .http(
                        "/stats",
                        request -> HttpResponse.of(
                                200,
                                "application/json",
                                Stats.json(request.scope().queryParam("gc").isPresent(), self[0].openSessions())
                                        .getBytes(StandardCharsets.UTF_8)))
                .websocket(
                        Channels.PATH,
                        onTheLoop ? () -> new OnTheLoop(channels.handlers().get()) : channels.handlers(),
                        channels.websocketOptions())
                .build();
        self[0] = SwitchboardTarget.builder(host, port, threads, outboundBufferBytes)
                .router(routes)
                .start();
        channels.start(self[0]);
        return self[0];
    }

    private static Namespaces namespaces() {
        NamespaceOptions defaults = NamespaceOptions.DEFAULTS;
        NamespaceOptions plain = new NamespaceOptions(
                0, defaults.historyTtl(), false, false, false, defaults.subscribe(), defaults.publish(), null);
        NamespaceOptions conflated = new NamespaceOptions(
                defaults.historySize(),
                defaults.historyTtl(),
                defaults.presence(),
                defaults.joinLeave(),
                defaults.recovery(),
                defaults.subscribe(),
                defaults.publish(),
                new NamespaceOptions.ConflationKey("k", false));
        return new Namespaces(defaults, Map.of("plain", plain, "conflated", conflated));
    }
}
