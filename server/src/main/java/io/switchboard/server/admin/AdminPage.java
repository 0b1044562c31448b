/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.admin;

import io.switchboard.Server;
import io.switchboard.channels.Channels;
import io.switchboard.engine.History;
import io.switchboard.http.HttpHandler;
import io.switchboard.http.HttpResponse;
import io.switchboard.http.StaticFiles;
import io.switchboard.routing.Router;
import io.switchboard.security.FailedAttempts;
import io.switchboard.server.chat.ChatApplication;
import io.switchboard.session.Hub;
import java.time.Clock;
import java.util.Objects;

/**
 * The admin page: a password-protected page and JSON API that show a node's live figures, the nodes of
 * its cluster, rooms and channels, and disconnect users or publish. Mount {@link #router()} under
 * {@link #PATH}, then {@link #start(Server)} once the server runs:
 *
 * <pre>{@code
 * AdminPage admin = new AdminPage(password, app.chat(), app.channels(), history, Clock.systemUTC());
 * Router router = Router.builder().mount("/", app.router()).mount(AdminPage.PATH, admin.router()).build();
 * Server server = Server.builder().router(router).start();
 * admin.start(server);
 * }</pre>
 *
 * <p>Routes, under {@link #PATH}: the page and its files; {@code POST api/login}, {@code POST
 * api/logout}, {@code GET api/session}; and, behind the {@link AdminGate}, {@code GET api/stats},
 * {@code GET api/nodes}, {@code GET api/rooms}, {@code GET api/users/{user}}, {@code POST
 * api/users/{user}/disconnect}, {@code POST api/publish}.
 */
public final class AdminPage implements AutoCloseable {

    /** Where the page is served. */
    public static final String PATH = "/admin";

    private final AdminGate gate;
    private final Sampler sampler;
    private final AdminApi api;
    private volatile Hub hub;

    /** The page for {@code password}, over the chat, the channels and the history the node serves. */
    public AdminPage(String password, ChatApplication chat, Channels channels, History history, Clock clock) {
        Objects.requireNonNull(chat, "chat");
        Objects.requireNonNull(channels, "channels");
        this.gate = new AdminGate(new AdminAuth(password, clock), FailedAttempts.of("admin password"));
        ClusterFigures cluster = new ClusterFigures(history, clock);
        this.sampler = new Sampler(cluster, clock);
        this.api = new AdminApi(sampler, cluster, chat, channels, this::hub);
    }

    /** Every route, relative to {@link #PATH}. */
    public Router router() {
        return Router.builder()
                .http("/api/login", noStore(gate::login))
                .http("/api/logout", noStore(gate::logout))
                .http("/api/session", noStore(gate::session))
                .http("/api/stats", noStore(guarded("GET", api::stats)))
                .http("/api/nodes", noStore(guarded("GET", api::nodes)))
                .http("/api/rooms", noStore(guarded("GET", api::rooms)))
                .http("/api/users/{user}", noStore(guarded("GET", api::user)))
                .http("/api/users/{user}/disconnect", noStore(guarded("POST", api::disconnect)))
                .http("/api/publish", noStore(guarded("POST", api::publish)))
                .files("/", StaticFiles.classpath("admin", AdminPage.class.getClassLoader()))
                .build();
    }

    private HttpHandler guarded(String method, HttpHandler handler) {
        return request -> {
            if (!request.method().equals(method)
                    && !(method.equals("GET") && request.method().equals("HEAD"))) {
                return AdminGate.methodNotAllowed(method);
            }
            HttpResponse refusal = gate.refusal(request);
            return refusal != null ? refusal : handler.handle(request);
        };
    }

    /** Answers that carry a session or its figures are never kept by a cache. */
    private static HttpHandler noStore(HttpHandler handler) {
        return request -> handler.handle(request).withHeader("Cache-Control", "no-store");
    }

    /** Starts sampling the server's figures and sharing them with the cluster. */
    public void start(Server server) {
        this.hub = server.hub();
        sampler.start(server.stats(), server.nodeId());
    }

    private Hub hub() {
        Hub current = hub;
        if (current == null) {
            throw new IllegalStateException("the admin page is not started: call start(server)");
        }
        return current;
    }

    /** Stops the sampler. */
    @Override
    public void close() {
        sampler.close();
    }
}
