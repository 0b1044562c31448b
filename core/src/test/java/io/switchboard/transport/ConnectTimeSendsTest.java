/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport;

import static io.switchboard.transport.websocket.EmbeddedWire.written;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.session.Message;
import io.switchboard.session.Scope;
import io.switchboard.transport.fanout.Shard;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a connection sends while its handler's {@code onConnect} runs goes out before the group traffic
 * that reached it meanwhile, and when such a send overflows its buffer no group traffic goes out
 * before the close: a client never sees a room's broadcast without the welcome that was to come
 * first. (Broadcasts that overflow on their own deliver what fitted, then close: see LimitsTest.)
 */
class ConnectTimeSendsTest {

    private final EmbeddedNode node = new EmbeddedNode();

    @AfterEach
    void releaseEverything() {
        node.close();
    }

    private WebSocketConnection connecting(EmbeddedChannel channel) {
        WebSocketConnection session = new WebSocketConnection(
                node.context,
                channel,
                Scope.builder("/ws").build(),
                new EmbeddedNode.RecordingHandler(),
                null,
                node.context.limits().rateLimit(),
                null,
                "/ws");
        session.authenticated(null);
        return session;
    }

    private static void broadcast(Shard shard, WebSocketConnection member, String text) {
        shard.submit(new Shard.Join("room", member));
        shard.submit(new Shard.Broadcast("room", Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1), null));
    }

    @Test
    void connectTimeSendsGoOutBeforeHeldBroadcasts() {
        EmbeddedChannel channel = node.newChannel();
        WebSocketConnection session = connecting(channel);
        broadcast(new Shard(channel.eventLoop()), session, "leave");
        channel.runPendingTasks();
        session.session().send(Message.text("welcome"));

        session.opened(null);
        channel.runPendingTasks();
        assertThat(written(channel)).containsExactly("text:welcome", "leave");
    }

    @Test
    void aConnectTimeSendThatOverflowsLeavesNoBroadcastBeforeTheClose() {
        EmbeddedChannel channel = node.newChannel();
        WebSocketConnection session = connecting(channel);
        Shard shard = new Shard(channel.eventLoop());
        broadcast(shard, session, "leave");
        channel.runPendingTasks();
        session.session().send(Message.text("sent first"));
        session.session()
                .send(Message.text("w".repeat(node.context.limits().buffers().outboundBufferBytes() + 1)));
        broadcast(shard, session, "join"); // after the overflow: dropped too
        channel.runPendingTasks();

        session.opened(null);
        channel.runPendingTasks();
        assertThat(written(channel)).containsExactly("text:sent first", "close:1008");
    }
}
