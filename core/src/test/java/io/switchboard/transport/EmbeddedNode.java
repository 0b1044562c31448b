/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.switchboard.engine.InMemoryEngine;
import io.switchboard.routing.Router;
import io.switchboard.security.Authenticator;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Event;
import io.switchboard.session.Execution;
import io.switchboard.session.Scope;
import io.switchboard.session.Session;
import io.switchboard.session.User;
import io.switchboard.session.WebSocketHandler;
import io.switchboard.settings.Limits;
import io.switchboard.time.Ticker;
import io.switchboard.transport.fanout.LocalRegistry;
import io.switchboard.transport.websocket.EmbeddedWire;
import io.switchboard.transport.websocket.PerMessageDeflate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server context with no sockets: a registry over one embedded channel's event loop, an in-memory
 * engine, and sessions on embedded channels whose writes a test reads back. Everything runs on the
 * test thread: an embedded loop runs a task when told to ({@link EmbeddedChannel#runPendingTasks()}).
 */
final class EmbeddedNode {

    final EmbeddedChannel home = new EmbeddedChannel(new EmbeddedWire.FlushCounter());
    final InMemoryEngine engine = new InMemoryEngine();
    final LocalRegistry registry;
    final ServerContext context;
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    EmbeddedNode() {
        registry = new LocalRegistry("node1", home.eventLoop());
        engine.start(registry);
        context = new ServerContext(
                new ServerSettings(
                        "127.0.0.1",
                        0,
                        Router.builder().build(),
                        Limits.defaults(),
                        engine,
                        Authenticator.ANONYMOUS,
                        1,
                        "node1",
                        null,
                        Ticker.SYSTEM,
                        true),
                registry,
                new DefaultChannelGroup(GlobalEventExecutor.INSTANCE));
    }

    /** A channel of its own (so its own event loop) that counts flushes. */
    EmbeddedChannel newChannel() {
        EmbeddedChannel channel = new EmbeddedChannel(new EmbeddedWire.FlushCounter());
        channels.add(channel);
        return channel;
    }

    /** An open session of {@code user} (null for none) on {@code channel}, its handler run on the loop. */
    WebSocketConnection open(EmbeddedChannel channel, User user, RecordingHandler handler) {
        return open(channel, user, handler, null);
    }

    /** An open session that negotiated {@code deflate} (null for none). */
    WebSocketConnection open(
            EmbeddedChannel channel, User user, RecordingHandler handler, PerMessageDeflate.Agreement deflate) {
        WebSocketConnection session = new WebSocketConnection(
                context,
                channel,
                Scope.builder("/ws").build(),
                handler,
                deflate,
                context.limits().rateLimit(),
                null,
                "/ws");
        session.authenticated(user);
        session.opened(null);
        EmbeddedWire.flushes(channel); // opening flushes once; tests count from here
        return session;
    }

    /** An open session on a channel of its own. */
    WebSocketConnection open(User user) {
        return open(newChannel(), user, new RecordingHandler());
    }

    /** Releases everything every channel still holds. */
    void close() {
        for (EmbeddedChannel channel : channels) {
            channel.finishAndReleaseAll();
        }
        home.finishAndReleaseAll();
        engine.close();
    }

    /** A handler run on the event loop that records the events and the close status it gets. */
    static final class RecordingHandler implements WebSocketHandler {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(Session session, Event event) {
            seen.add(event.type() + " " + event.json());
        }

        @Override
        public void onDisconnect(Session session, CloseStatus status) {
            seen.add("disconnect " + status.code());
        }

        @Override
        public Execution execution() {
            return Execution.EVENT_LOOP;
        }
    }
}
