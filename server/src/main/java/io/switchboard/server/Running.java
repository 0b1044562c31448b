/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import io.switchboard.Server;
import io.switchboard.channels.Channels;
import io.switchboard.engine.Engine;
import io.switchboard.engine.History;
import io.switchboard.engine.InMemoryEngine;
import io.switchboard.engine.InMemoryHistory;
import io.switchboard.engine.Retention;
import io.switchboard.redis.RedisEngine;
import io.switchboard.redis.RedisHistory;
import io.switchboard.routing.Router;
import io.switchboard.security.TokenAuthenticator;
import io.switchboard.server.admin.AdminPage;
import io.switchboard.server.metrics.ServerMetrics;
import io.switchboard.server.ops.OperationalRoutes;
import io.switchboard.server.ops.Readiness;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A started server with its application, and its internal listener when {@code --internal-port} is
 * set: the operational routes ({@link OperationalRoutes}) are then served there alone, by a small
 * server of its own, and not on the main port.
 */
final class Running implements AutoCloseable {

    private final Server server;
    private final Server internal;
    private final Application app;
    private final History history;
    private final Readiness readiness;
    private final ServerMetrics metrics;
    private final AdminPage admin;

    private Running(
            Server server,
            Server internal,
            Application app,
            History history,
            Readiness readiness,
            ServerMetrics metrics,
            AdminPage admin) {
        this.server = server;
        this.internal = internal;
        this.app = app;
        this.history = history;
        this.readiness = readiness;
        this.metrics = metrics;
        this.admin = admin;
    }

    /**
     * Starts everything and prints the banner to {@code out}. Fails with {@link IllegalStateException}
     * if a port cannot be bound or Redis cannot be reached, having closed what it had started.
     */
    static Running start(Resolved settings, PrintStream out) {
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            Running running = open(settings, opened);
            Banner.print(out, settings.host(), running.server, running.internal, settings);
            return running;
        } catch (RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
    }

    /** Opens every part in order, each added to {@code opened} so that a failure closes what was opened. */
    private static Running open(Resolved settings, Deque<AutoCloseable> opened) {
        History history = opened(opened, history(settings));
        Engine engine =
                opened(opened, settings.redis() == null ? new InMemoryEngine() : RedisEngine.connect(settings.redis()));
        Application app = opened(
                opened,
                new Application(
                        settings.chat(), history, Clock.systemUTC(), channels(settings, history), settings.apiKey()));
        Readiness readiness = new Readiness(parts(engine, history));
        OperationalRoutes operational = app.operationalRoutes(readiness);
        // Metrics: null with --no-metrics (no /metrics; the server counts nothing unless the admin page reads it).
        ServerMetrics metrics = settings.operations().metrics() ? opened(opened, new ServerMetrics()) : null;
        if (metrics != null) {
            operational.metrics(metrics.handler());
        }
        AdminPage admin = admin(settings, app, history);
        if (admin != null) {
            operational.admin(opened(opened, admin).router());
        }
        boolean inside = settings.operations().internalPort() == null;
        // The server counts its traffic for the metrics and for the admin page's charts.
        boolean counting = metrics != null || admin != null;
        Server server = opened(opened, main(settings, app, engine, app.router(inside ? operational : null), counting));
        Server internal = inside ? null : opened(opened, internal(settings, operational.router()));
        app.start(server);
        if (metrics != null) {
            metrics.bind(new ServerMetrics.Node(server, engine, history, app.channels()));
        }
        if (admin != null) {
            admin.start(server);
        }
        readiness.started(); // only now: the channels answer, the admin page samples
        return new Running(server, internal, app, history, readiness, metrics, admin);
    }

    /** The admin page, when {@code --admin-password} is given; else null, and {@code /admin} is 404. */
    private static AdminPage admin(Resolved settings, Application app, History history) {
        String password = settings.operations().adminPassword();
        return password == null
                ? null
                : new AdminPage(password, app.chat(), app.channels(), history, Clock.systemUTC());
    }

    private static History history(Resolved settings) {
        Retention retention = settings.chat().retention();
        return settings.redis() == null
                ? InMemoryHistory.sweeping(retention)
                : RedisHistory.connect(settings.redis(), retention);
    }

    private static <T extends AutoCloseable> T opened(Deque<AutoCloseable> opened, T started) {
        opened.push(started);
        return started;
    }

    private static void closeAll(Deque<AutoCloseable> opened, RuntimeException failure) {
        for (AutoCloseable each : opened) {
            try {
                each.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }

    private static Map<String, Object> parts(Engine engine, History history) {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("engine", engine);
        parts.put("history", history);
        return parts;
    }

    /** The main listener; it counts its traffic only when {@code counting} (someone reads the figures). */
    private static Server main(Resolved settings, Application app, Engine engine, Router router, boolean counting) {
        Server.Builder builder = Server.builder()
                .host(settings.host())
                .port(settings.port())
                .limits(settings.limits())
                .router(router)
                .engine(engine)
                .stats(counting)
                .authenticator(
                        settings.tokens() == null
                                ? app.authenticator()
                                : app.authenticator(
                                        new TokenAuthenticator(settings.tokens().verifier())));
        if (settings.tls() != null) {
            builder.tls(settings.tls());
        }
        if (settings.ioThreads() > 0) {
            builder.ioThreads(settings.ioThreads());
        }
        return builder.start();
    }

    /** The internal listener: one I/O thread, plain HTTP, its requests not counted with the clients'. */
    private static Server internal(Resolved settings, Router operational) {
        return Server.builder()
                .host(settings.operations().internalHost())
                .port(settings.operations().internalPort())
                .limits(settings.limits())
                .router(operational)
                .ioThreads(1)
                .stats(false)
                .start();
    }

    /**
     * The channels, on the chat's history and with its token check. Without token options nothing
     * could ever sign a connection token, so connections without one are let in, as anonymous users
     * (who may only use namespaces with {@code subscribe=anonymous}); with them a token is required.
     */
    private static Channels channels(Resolved settings, History history) {
        Channels.Builder channels = Channels.builder().history(history).namespaces(settings.namespaces());
        if (settings.tokens() != null) {
            channels.tokens(settings.tokens().verifier());
        }
        return channels.anonymous(settings.tokens() == null).build();
    }

    Server server() {
        return server;
    }

    /** The internal listener, or {@code null} without {@code --internal-port}. */
    Server internal() {
        return internal;
    }

    /** Whether the node tells load balancers it wants new connections. */
    Readiness readiness() {
        return readiness;
    }

    /**
     * Marks the node not ready ({@code /readyz} 503), then closes the channels' client connections with
     * 3001 (shutdown: their clients reconnect, to another node or to this one restarted), then refuses
     * new connections and closes the others with 1001 within the drain timeout, then closes the
     * internal listener, which answered probes and scrapes throughout, and stops the rest.
     */
    @Override
    public void close() {
        readiness.drain();
        if (admin != null) {
            admin.close();
        }
        app.close();
        server.close();
        if (internal != null) {
            internal.close();
        }
        history.close();
        if (metrics != null) {
            metrics.close();
        }
    }
}
