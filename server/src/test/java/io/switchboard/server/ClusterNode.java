/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import io.switchboard.redis.RedisEngine;
import io.switchboard.redis.RedisHistory;
import io.switchboard.redis.RedisSettings;
import io.switchboard.server.chat.ChatSettings;
import io.switchboard.testkit.TestServer;
import java.time.Clock;

/** One node of a cluster in a test: the product's application on a real port, with the Redis engine and history. */
final class ClusterNode implements AutoCloseable {

    final TestServer server;
    private final Application app;
    private final RedisHistory history;

    private ClusterNode(TestServer server, Application app, RedisHistory history) {
        this.server = server;
        this.app = app;
        this.history = history;
    }

    static ClusterNode start(RedisSettings redis, ChatSettings chat) {
        RedisHistory history = RedisHistory.connect(redis, chat.retention());
        Application app = new Application(chat, history, Clock.systemUTC());
        TestServer server = TestServer.start(b -> b.router(app.router())
                .authenticator(app.authenticator())
                .engine(RedisEngine.connect(redis))
                .ioThreads(1));
        app.start(server.server());
        return new ClusterNode(server, app, history);
    }

    ChatClient join(String room, String user) {
        return new ChatClient(server.connect("/ws/chat/" + room + "?user=" + user), user);
    }

    ChatClient join(String room, String user, long since) {
        return new ChatClient(server.connect("/ws/chat/" + room + "?user=" + user + "&since=" + since), user);
    }

    ChatClient join(String room, String user, long since, String epoch) {
        return new ChatClient(
                server.connect("/ws/chat/" + room + "?user=" + user + "&since=" + since + "&epoch=" + epoch), user);
    }

    /** {@code ws://HOST:PORT} of this node, for clients that add the path themselves. */
    String origin() {
        java.net.URI ws = server.ws("/");
        return "ws://" + ws.getHost() + ":" + ws.getPort();
    }

    /** Fails if a client of this node left a message unread. */
    void assertNoUnreadEvents() {
        server.assertNoUnreadEvents();
    }

    /** Closes the server (its clients get 1001), then the rest; checks nothing. */
    @Override
    public void close() {
        try {
            server.server().close();
        } finally {
            app.close();
            history.close();
        }
    }
}
