/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.server;

import io.switchboard.Server;
import io.switchboard.engine.InMemoryHistory;
import io.switchboard.http.HttpResponse;
import io.switchboard.routing.Router;
import io.switchboard.routing.WebSocketOptions;
import io.switchboard.server.Application;
import io.switchboard.server.chat.ChatSettings;
import io.switchboard.session.Decision;
import io.switchboard.session.Execution;
import io.switchboard.session.Message;
import io.switchboard.session.Session;
import io.switchboard.session.WebSocketHandler;
import io.switchboard.settings.Limits;
import io.switchboard.settings.RateLimit;
import java.time.Clock;

/**
 * Switchboard serving the same endpoints as the baseline, written the way a user would:
 * {@code /ws/echo}, {@code /ws/sub} (join a group) and {@code /ws/pub} (broadcast to it), plus
 * {@code GET /stats}; and {@code /ws/latest} with {@code /ws/latest-pub}, the same with latest-value
 * broadcasts ({@code hub.broadcastLatest}) for the {@code conflation} scenario. With {@code chat} it serves the built-in chat server instead.
 */
public final class SwitchboardTarget {

    static final String GROUP = "bench";

    /** Each connection's outbound buffer limit in every bench target. */
    static final int BENCH_OUTBOUND_BUFFER = 4 << 20;

    /** The group of {@code /ws/latest}: latest-value broadcasts, conflated by the data's {@code "k"}. */
    static final String LATEST = "bench-latest";

    private SwitchboardTarget() {}

    /** Starts the target: {@code mode} is {@code loop} (handlers on the event loop), {@code vt} or {@code chat}. */
    public static Server start(String mode, String host, int port, int threads) {
        return start(mode, host, port, threads, BENCH_OUTBOUND_BUFFER);
    }

    /** As {@link #start(String, String, int, int)}, with each connection's outbound buffer limit (tests make it small). */
    public static Server start(String mode, String host, int port, int threads, int outboundBufferBytes) {
        return start(mode, host, port, threads, outboundBufferBytes, true);
    }

    /**
     * As {@link #start(String, String, int, int, int)}, counting its traffic ({@code Server.stats()})
     * or not; when counting, its numbers are read once a second, as a metrics scrape would.
     */
    public static Server start(
            String mode, String host, int port, int threads, int outboundBufferBytes, boolean stats) {
        Server[] self = new Server[1];
        Router.Builder routes = Router.builder()
                .http(
                        "/stats",
                        request -> HttpResponse.of(
                                200,
                                "application/json",
                                Stats.json(request.scope().queryParam("gc").isPresent(), self[0].openSessions())
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Application app = null;
        if (mode.equals("chat")) {
            app = new Application(new ChatSettings(100, 100, 4096), new InMemoryHistory(), Clock.systemUTC());
            routes.mount("/", app.router());
        } else {
            Execution execution = mode.equals("vt") ? Execution.VIRTUAL_THREAD : Execution.EVENT_LOOP;
            routes.websocket("/ws/echo", () -> new Echo(execution))
                    .websocket("/ws/sub", () -> new Subscriber(execution, GROUP))
                    .websocket("/ws/pub", () -> new Publisher(execution))
                    .websocket(
                            "/ws/latest",
                            () -> new Subscriber(execution, LATEST),
                            WebSocketOptions.DEFAULTS.withConflatedText(SwitchboardTarget::withConflatedCount))
                    .websocket("/ws/latest-pub", () -> new LatestPublisher(execution));
        }
        Server.Builder builder = builder(host, port, threads, outboundBufferBytes)
                .router(routes.build())
                .stats(stats);
        if (app != null) {
            builder.authenticator(app.authenticator());
        }
        self[0] = builder.start();
        if (stats) {
            Scrape.everySecond(self[0].stats());
        }
        if (app != null) {
            app.start(self[0]);
        }
        return self[0];
    }

    /**
     * A server builder with the settings every bench target shares: an outbound buffer limit per
     * connection ({@link #BENCH_OUTBOUND_BUFFER}) and no abuse limits (a load generator is one abusive-looking client).
     */
    static Server.Builder builder(String host, int port, int threads, int outboundBufferBytes) {
        return Server.builder()
                .host(host)
                .port(port)
                .ioThreads(threads)
                .limits(Limits.defaults()
                        .withBuffers(b -> b.withOutboundBufferBytes(outboundBufferBytes))
                        .withCapacity(c ->
                                c.withMaxConnections(Integer.MAX_VALUE).withMaxConnectionsPerAddress(Integer.MAX_VALUE))
                        .withRateLimit(RateLimit.OFF));
    }

    private record Echo(Execution execution) implements WebSocketHandler {
        @Override
        public void onText(Session session, String text) {
            session.send(text);
        }

        @Override
        public void onBinary(Session session, byte[] data) {
            session.send(data);
        }
    }

    /**
     * A JSON object delivered in place of {@code skipped} older values of its key, with the count
     * added as its last field {@code "conflated"}, as the channel protocol's pushes carry it.
     */
    static String withConflatedCount(String text, int skipped) {
        int end = text.lastIndexOf('}');
        return end < 0 ? text : text.substring(0, end) + ",\"conflated\":" + skipped + text.substring(end);
    }

    private record Subscriber(Execution execution, String group) implements WebSocketHandler {
        @Override
        public Decision onConnect(Session session) {
            session.join(group);
            return Decision.accept();
        }

        @Override
        public void onText(Session session, String text) {}

        @Override
        public void onBinary(Session session, byte[] data) {}
    }

    private record Publisher(Execution execution) implements WebSocketHandler {
        @Override
        public void onText(Session session, String text) {
            session.hub().broadcast(GROUP, Message.text(text));
        }

        @Override
        public void onBinary(Session session, byte[] data) {
            session.hub().broadcast(GROUP, Message.binary(data));
        }
    }

    /** Broadcasts each text (a JSON object) as the latest value of the key in its field {@code "k"}. */
    private record LatestPublisher(Execution execution) implements WebSocketHandler {
        @Override
        public void onText(Session session, String text) {
            int at = text.indexOf("\"k\":");
            int end = at < 0 ? -1 : text.indexOf(',', at);
            String key = at < 0 ? "" : text.substring(at + 4, end < 0 ? text.length() - 1 : end);
            session.hub().broadcastLatest(LATEST, key, Message.text(text));
        }
    }
}
