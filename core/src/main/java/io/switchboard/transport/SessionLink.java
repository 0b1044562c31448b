/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport;

import io.netty.channel.EventLoop;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Message;
import io.switchboard.session.internal.ConnectionSession;
import io.switchboard.transport.fanout.LocalRegistry;
import io.switchboard.transport.websocket.Closer;
import io.switchboard.transport.websocket.HeldGroups;
import io.switchboard.transport.websocket.Lifecycle;
import io.switchboard.transport.websocket.Loops;
import io.switchboard.transport.websocket.Outbound;
import java.util.function.Predicate;

/**
 * What a server connection's {@link ConnectionSession} sends and closes through: the connection's
 * {@link Outbound}, its {@link HeldGroups}, its {@link Closer} (on the loop), its {@link Lifecycle},
 * and this node's fan-out membership in the {@link LocalRegistry}.
 *
 * <p>Threads: any; closes are handed to the channel's event loop.
 */
final class SessionLink implements ConnectionSession.Link {

    private final WebSocketConnection connection;
    private final LocalRegistry registry;
    private final Lifecycle lifecycle;
    private final Outbound outbound;
    private final HeldGroups held;
    private final Closer closer;
    private final EventLoop loop;

    SessionLink(
            WebSocketConnection connection,
            LocalRegistry registry,
            Lifecycle lifecycle,
            Outbound outbound,
            HeldGroups held,
            Closer closer,
            EventLoop loop) {
        this.connection = connection;
        this.registry = registry;
        this.lifecycle = lifecycle;
        this.outbound = outbound;
        this.held = held;
        this.closer = closer;
        this.loop = loop;
    }

    @Override
    public boolean write(Message message) {
        return outbound.send(message);
    }

    @Override
    public void startClosing(CloseStatus status) {
        if (loop.inEventLoop()) {
            closer.close(status);
        } else {
            Loops.execute(loop, () -> closer.close(status)); // a stopped loop has closed the channel
        }
    }

    @Override
    public boolean isOpen() {
        return lifecycle.open();
    }

    @Override
    public boolean isFinished() {
        return lifecycle.finished();
    }

    @Override
    public void joined(String group) {
        registry.join(group, connection);
    }

    @Override
    public void left(String group) {
        registry.leave(group, connection);
        held.cancel(group);
    }

    @Override
    public void hold(String group) {
        held.start(group);
    }

    @Override
    public void release(String group, Message first, Predicate<Message> keep) {
        held.release(group, first, keep);
    }

    @Override
    public long conflated() {
        return outbound.conflated();
    }
}
