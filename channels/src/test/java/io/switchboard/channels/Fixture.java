/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import io.switchboard.channels.NamespaceOptions.PublishRule;
import io.switchboard.channels.NamespaceOptions.SubscribeRule;
import io.switchboard.engine.Engine;
import io.switchboard.engine.History;
import io.switchboard.engine.InMemoryHistory;
import io.switchboard.json.Json;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A server with channels on a free port: the default namespace, {@code private:} (subscription token
 * required), {@code feed:} (only the server publishes), {@code plain:} (no history, no presence),
 * tokens signed with {@link #SECRET}.
 */
final class Fixture implements AutoCloseable {

    static final String SECRET = "a-secret-of-at-least-32-bytes-for-hs256!";

    static final Namespaces NAMESPACES = new Namespaces(
            NamespaceOptions.DEFAULTS,
            Map.of(
                    "private",
                    options(SubscribeRule.TOKEN, PublishRule.SUBSCRIBERS, 100, true),
                    "feed",
                    options(SubscribeRule.AUTHENTICATED, PublishRule.SERVER, 100, true),
                    "plain",
                    options(SubscribeRule.ANONYMOUS, PublishRule.CLIENTS, 0, false),
                    "quiet",
                    new NamespaceOptions(
                            5000,
                            Duration.ofHours(1),
                            true,
                            false,
                            true,
                            SubscribeRule.AUTHENTICATED,
                            PublishRule.CLIENTS,
                            null)));

    final TestTokens jwt = new TestTokens(SECRET, Clock.systemUTC());
    final Channels channels;
    final TestServer server;
    private final History history;

    Fixture() {
        this(Channels.builder());
    }

    Fixture(Channels.Builder builder) {
        this(builder, null);
    }

    /** With {@code verifier} instead of the HS256 one (null: that one). */
    Fixture(Channels.Builder builder, io.switchboard.security.TokenVerifier verifier) {
        this(builder, verifier, new InMemoryHistory(), null);
    }

    /** A node of a cluster: with this history and engine (null: the server's in-memory one). */
    Fixture(Channels.Builder builder, io.switchboard.security.TokenVerifier verifier, History history, Engine engine) {
        this.history = history;
        channels = builder.history(history)
                .namespaces(NAMESPACES)
                .tokens(verifier != null ? verifier : jwt.verifier())
                .build();
        server = TestServer.start(server -> {
            server.router(channels.router());
            if (engine != null) {
                server.engine(engine);
            }
        });
        channels.start(server.server());
    }

    static NamespaceOptions options(SubscribeRule subscribe, PublishRule publish, int history, boolean presence) {
        return new NamespaceOptions(
                history, Duration.ofHours(1), presence, presence, history > 0, subscribe, publish, null);
    }

    /** A connection token for {@code user}, valid for {@code seconds}, with extra claims. */
    String token(String user, long seconds, Map<String, Object> extra) {
        Map<String, Object> claims = new HashMap<>(extra);
        claims.put("sub", user);
        claims.put("exp", Clock.systemUTC().instant().getEpochSecond() + seconds);
        return jwt.issue(claims);
    }

    String token(String user) {
        return token(user, 3600, Map.of());
    }

    /** A fresh client that sent {@code frame} first. */
    TestClient sent(String frame) {
        TestClient client = server.connect(Channels.PATH);
        client.sendText(frame);
        return client;
    }

    /** The connect command with {@code token}. */
    static String connect(String token) {
        return "{\"id\":1,\"connect\":{\"token\":" + Json.write(token) + "}}";
    }

    /** A client connected as {@code user}, its connect reply read. */
    TestClient connected(String user) {
        TestClient client = server.connect(Channels.PATH);
        client.sendText("{\"id\":1,\"connect\":{\"token\":" + Json.write(token(user)) + "}}");
        String reply = client.expectText();
        if (!reply.contains("\"connect\":")) {
            throw new AssertionError("not connected: " + reply);
        }
        return client;
    }

    @Override
    public void close() {
        server.close();
        channels.close();
        history.close();
    }
}
