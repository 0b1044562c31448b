/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import io.switchboard.Server;
import io.switchboard.channels.Channels;
import io.switchboard.channels.api.ApiKey;
import io.switchboard.channels.api.ServerApi;
import io.switchboard.engine.Departures;
import io.switchboard.engine.History;
import io.switchboard.http.StaticFiles;
import io.switchboard.routing.Router;
import io.switchboard.security.Authenticator;
import io.switchboard.security.TokenAuthenticator;
import io.switchboard.server.chat.ChatApplication;
import io.switchboard.server.chat.ChatSettings;
import io.switchboard.server.ops.OperationalRoutes;
import io.switchboard.server.ops.Readiness;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Everything {@code ./switchboard serve} serves, ready to embed in one's own program:
 *
 * <pre>{@code
 * History history = new InMemoryHistory();
 * Channels channels = Channels.builder().history(history).tokens(verifier).build();
 * Application app = new Application(ChatSettings.defaults(), history, Clock.systemUTC(), channels, ApiKey.of(key));
 * Server server = Server.builder()
 *         .port(8000)
 *         .router(app.router())
 *         .authenticator(app.authenticator())
 *         .start();
 * app.start(server);         // the clock starts ticking, the channels reach the hub
 * }</pre>
 *
 * <ul>
 *   <li>{@code GET /} the chat page, and its scripts and styles;
 *   <li>{@code GET /healthz} {@code {"status":"ok"}}; {@code GET /readyz} readiness (see {@link OperationalRoutes});
 *   <li>{@code GET /chat.json} the chat's rules (names, longest message), which the page reads;
 *   <li>{@code /ws/echo} echo; {@code /ws/clock} the time every second;
 *   <li>{@code /ws/chat/{room}?user=NAME[&since=ID]} the chat;
 *   <li>{@code /connection/websocket} Centrifugo's client protocol ({@link Channels});
 *   <li>{@code POST /api/<method>} Centrifugo's server API ({@link ServerApi}), with the API key.
 * </ul>
 *
 * <p>The probes and the server API are the {@link #operationalRoutes operational routes}: {@code serve}
 * with {@code --internal-port} serves them on another listener, and {@link #router(OperationalRoutes)}
 * without them on the main one.
 */
public final class Application implements AutoCloseable {

    private final ChatApplication chat;
    private final ClockTicker clock;
    private final Channels channels;
    private final ApiKey apiKey;
    private final Readiness readiness = new Readiness(Map.of());

    /**
     * The chat, and channels on the same history that clients join without a token, as anonymous
     * users (as {@code serve} without token options); the server API off.
     */
    public Application(ChatSettings settings, History history, Clock clock) {
        this(
                settings,
                history,
                clock,
                Channels.builder().history(history).anonymous(true).build(),
                ApiKey.NONE);
    }

    /** The chat, {@code channels} (closed with this application) and their server API with {@code apiKey}. */
    public Application(ChatSettings settings, History history, Clock clock, Channels channels, ApiKey apiKey) {
        this.chat = new ChatApplication(settings, history, clock);
        this.clock = new ClockTicker(clock);
        this.channels = Objects.requireNonNull(channels, "channels");
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
    }

    /**
     * Every route, in one router (mount it under a prefix to serve it beside your own): the clients'
     * and the operational ones, with {@link #readiness()} behind {@code /readyz}. For a readiness
     * that also watches a shared store, use {@link #router(OperationalRoutes)}.
     */
    public Router router() {
        return router(operationalRoutes(readiness));
    }

    /**
     * The readiness behind {@link #router()}'s {@code /readyz}: ready from {@link #start(Server)} on,
     * until you call its {@link Readiness#drain() drain()} before stopping the server.
     */
    public Readiness readiness() {
        return readiness;
    }

    /** The clients' routes, and {@code operational} beside them unless it is null (served elsewhere). */
    public Router router(OperationalRoutes operational) {
        Router.Builder routes = Router.builder()
                .websocket("/ws/echo", EchoHandler::new)
                .websocket("/ws/clock", ClockTicker.Watcher::new)
                .websocket(ChatApplication.PATH, chat.handlers(), ChatApplication.OPTIONS)
                .http(ChatApplication.RULES_PATH, chat.rules())
                .websocket(Channels.PATH, channels.handlers(), channels.websocketOptions())
                .files("/", StaticFiles.classpath("web", Application.class.getClassLoader()));
        return (operational == null ? routes : operational.addTo(routes)).build();
    }

    /** The probes, with {@code readiness} behind {@code /readyz}, and this application's server API. */
    public OperationalRoutes operationalRoutes(Readiness readiness) {
        return new OperationalRoutes(readiness).serverApi(ServerApi.PATH, new ServerApi(channels, apiKey));
    }

    /** Names chat users from their {@code user} query parameter; everyone else is anonymous. */
    public Authenticator authenticator() {
        return chat.authenticator();
    }

    /** Names chat users from a verified token (401 without one); everyone else is anonymous. */
    public Authenticator authenticator(TokenAuthenticator tokens) {
        return chat.tokenAuthenticator(tokens, Authenticator.ANONYMOUS);
    }

    /**
     * Starts what runs on its own: the clock, which ticks for this node's watchers. When the engine
     * removes members on its own (a node of a cluster died), the chat tells their rooms they left.
     * {@link #router()}'s {@code /readyz} turns ready.
     */
    public void start(Server server) {
        clock.start(server.hub(), server.nodeId());
        channels.start(server);
        if (server.hub() instanceof Departures departures) {
            departures.onDeparture(chat.departures(server.hub()));
        }
        readiness.started();
    }

    /** The channels, for Java code beside the server: the same operations as the server API. */
    public Channels channels() {
        return channels;
    }

    /** The chat, for Java code beside the server (the admin page). */
    public ChatApplication chat() {
        return chat;
    }

    /** Stops the clock and the channels' timers. */
    @Override
    public void close() {
        clock.close();
        channels.close();
    }
}
