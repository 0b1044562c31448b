/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.browser;

import io.switchboard.Server;
import io.switchboard.engine.History;
import io.switchboard.engine.InMemoryHistory;
import io.switchboard.server.Application;
import io.switchboard.server.chat.ChatSettings;
import java.time.Clock;
import java.time.Duration;

/**
 * The product's application in this process on a loopback port, which {@link #restart} stops and
 * starts again on the same port: with the same history (as a node backed by a shared store would
 * come back) or with a new one (an in-memory server's restart, which starts a new epoch).
 */
final class ChatServer implements AutoCloseable {

    private final ChatSettings settings;
    private History history = new InMemoryHistory();
    private Application app;
    private Server server;
    private final int port;

    private ChatServer(ChatSettings settings) {
        this.settings = settings;
        start(0);
        this.port = server.port();
    }

    static ChatServer start() {
        return start(ChatSettings.defaults());
    }

    /** A server whose chat runs with {@code settings}. */
    static ChatServer start(ChatSettings settings) {
        return new ChatServer(settings);
    }

    private void start(int on) {
        app = new Application(settings, history, Clock.systemUTC());
        server = Server.builder()
                .host("127.0.0.1")
                .port(on)
                .router(app.router())
                .authenticator(app.authenticator())
                .start();
        app.start(server);
    }

    int port() {
        return port;
    }

    /** The chat page. */
    String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    /** Stops the server: every page's connection closes with 1001 and new ones are refused. */
    void stop() {
        server.close(Duration.ofSeconds(2));
        app.close();
    }

    /** Starts again on the same port, keeping the history or not. */
    void startAgain(boolean keepHistory) {
        if (!keepHistory) {
            history = new InMemoryHistory();
        }
        start(port);
    }

    @Override
    public void close() {
        stop();
    }
}
