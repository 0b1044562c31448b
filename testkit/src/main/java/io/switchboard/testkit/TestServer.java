/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import io.switchboard.Server;
import io.switchboard.routing.Router;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A real server on a free loopback port, with clients that are checked when it closes: a test that
 * left a received message unread fails in {@link #close()}.
 *
 * <pre>{@code
 * try (TestServer server = TestServer.start(router)) {
 *     TestClient client = server.connect("/ws/echo");
 *     client.sendText("hi");
 *     assertEquals("hi", client.expectText());
 * }
 * }</pre>
 */
public final class TestServer implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final Server server;
    private final HttpClient http;
    private final List<TestClient> clients = new ArrayList<>();

    private TestServer(Server server) {
        this.server = server;
        this.http = server.secure() ? TestTls.client() : HTTP;
    }

    /** Serves {@code router} on a free port of 127.0.0.1. */
    public static TestServer start(Router router) {
        return start(builder -> builder.router(router));
    }

    /** A server on a free port of 127.0.0.1, configured further by {@code configure}. */
    public static TestServer start(Consumer<Server.Builder> configure) {
        Server.Builder builder = Server.builder().host("127.0.0.1").port(0);
        configure.accept(builder);
        return new TestServer(builder.start());
    }

    /**
     * As {@link #start(Consumer)}, serving {@code https://} and {@code wss://} with {@link
     * TestTls#certificate()}; {@link #ws}, {@link #http}, {@link #connect} and {@link #get} use them.
     */
    public static TestServer startTls(Consumer<Server.Builder> configure) {
        return start(builder -> configure.accept(builder.tls(TestTls.certificate())));
    }

    public Server server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    /** {@code ws://127.0.0.1:PORT} (or {@code wss://}) + {@code pathAndQuery}. */
    public URI ws(String pathAndQuery) {
        return URI.create((server.secure() ? "wss" : "ws") + "://127.0.0.1:" + port() + pathAndQuery);
    }

    /** {@code http://127.0.0.1:PORT} (or {@code https://}) + {@code pathAndQuery}. */
    public URI http(String pathAndQuery) {
        return URI.create((server.secure() ? "https" : "http") + "://127.0.0.1:" + port() + pathAndQuery);
    }

    /** A client connected to {@code pathAndQuery}, checked for unread events at {@link #close()}. */
    public TestClient connect(String pathAndQuery) {
        return track(TestClient.connect(ws(pathAndQuery)));
    }

    /** As {@link #connect(String)}, with headers and offered subprotocols. */
    public TestClient connect(String pathAndQuery, Map<String, String> headers, List<String> subprotocols) {
        return track(TestClient.connect(ws(pathAndQuery), headers, subprotocols));
    }

    private synchronized TestClient track(TestClient client) {
        clients.add(client);
        return client;
    }

    /** The HTTP status with which the server refuses an upgrade on {@code pathAndQuery}. */
    public int refusedStatus(String pathAndQuery) {
        return TestClient.refusedStatus(ws(pathAndQuery));
    }

    /** A plain GET. */
    public HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(http(pathAndQuery)).GET());
    }

    /** Any plain request. */
    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A raw socket to the server, for tests that write bytes by hand. */
    public RawClient raw() {
        return RawClient.connect("127.0.0.1", port());
    }

    /**
     * Checks that every client read everything it received, then closes the clients and the server.
     * Fails listing what was left unread.
     */
    @Override
    public void close() {
        List<String> unread = unread();
        clients().forEach(client -> client.abort());
        server.close();
        if (!unread.isEmpty()) {
            throw new AssertionError("a test left events unread: " + unread);
        }
    }

    /**
     * Fails, listing what was left unread, if a client has not read everything it received. For
     * several servers in one test, whose closing sends to each other's clients: check them all, then
     * close them with {@code server().close()}.
     */
    public void assertNoUnreadEvents() {
        List<String> unread = unread();
        if (!unread.isEmpty()) {
            throw new AssertionError("a test left events unread: " + unread);
        }
    }

    private synchronized List<TestClient> clients() {
        return List.copyOf(clients);
    }

    private List<String> unread() {
        List<String> unread = new ArrayList<>();
        for (TestClient client : clients()) {
            try {
                client.assertNoUnreadEvents();
            } catch (AssertionError e) {
                unread.add(e.getMessage());
            }
        }
        return unread;
    }
}
