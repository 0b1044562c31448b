/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport;

import static io.switchboard.transport.websocket.EmbeddedWire.written;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.session.Address;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Event;
import io.switchboard.session.Message;
import io.switchboard.session.Scope;
import io.switchboard.session.User;
import io.switchboard.transport.fanout.LocalRegistry;
import io.switchboard.transport.websocket.PerMessageDeflate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * This node's sessions by address, by user and by group. Sessions here share the home channel (the
 * registry's one event loop), so what each test reads back is that channel's writes, in order.
 */
class LocalRegistryTest {

    private final EmbeddedNode node = new EmbeddedNode();
    private final LocalRegistry registry = node.registry;

    @AfterEach
    void releaseEverything() {
        node.close();
    }

    private WebSocketConnection open(String user) {
        return node.open(node.home, user == null ? null : User.named(user), new EmbeddedNode.RecordingHandler());
    }

    @Test
    void anOpenSessionIsRegisteredAndReachableByAddress() {
        WebSocketConnection session = open(null);

        assertThat(registry.size()).isEqualTo(1);
        assertThat(registry.id()).isEqualTo("node1");
        assertThat(session.address().node()).isEqualTo("node1");
        assertThat(registry.sendTo(session.address(), Message.text("direct"))).isTrue();
        assertThat(written(node.home)).containsExactly(textFrame("direct"));
        assertThat(registry.sendTo(new Address("node1.999999999"), Message.text("x")))
                .isFalse();
    }

    @Test
    void aUserIsReachedOnEveryOpenSession() {
        open("bob");
        open("bob");
        open("ann");

        assertThat(registry.sendToUser("bob", Message.text("for bob"))).isEqualTo(2);
        assertThat(written(node.home)).containsExactly(textFrame("for bob"), textFrame("for bob"));
        assertThat(registry.sendToUser("carol", Message.text("x"))).isZero();
        assertThat(written(node.home)).isEmpty();
    }

    @Test
    void anUnregisteredSessionIsNoLongerReachable() {
        WebSocketConnection bob = open("bob");

        registry.unregister(bob);

        assertThat(registry.size()).isZero();
        assertThat(registry.sendTo(bob.address(), Message.text("x"))).isFalse();
        assertThat(registry.sendToUser("bob", Message.text("x"))).isZero();
        registry.unregister(bob); // twice is harmless
        assertThat(registry.size()).isZero();
    }

    @Test
    void aGroupBroadcastIsOneEncodedFrameForEveryMember() {
        WebSocketConnection first = open(null);
        WebSocketConnection second = open(null);
        open(null);
        first.session().join("room");
        second.session().join("room");

        registry.broadcast("room", Message.text("hi"), null);
        node.home.runPendingTasks();

        // FIN + text opcode, length 2, "hi": the bytes the shard writes as they are.
        assertThat(written(node.home)).containsExactly("text:hi", "text:hi");
    }

    @Test
    void aBroadcastIsCompressedOnceAndSharedByEveryMemberWhoseWindowFitsIt() {
        PerMessageDeflate.Agreement deflate = new PerMessageDeflate.Agreement(15, 0, false);
        PerMessageDeflate.Agreement smallWindow = new PerMessageDeflate.Agreement(9, 0, false);
        List<WebSocketConnection> members = List.of(
                open(null),
                node.open(node.home, null, new EmbeddedNode.RecordingHandler(), deflate),
                node.open(node.home, null, new EmbeddedNode.RecordingHandler(), deflate),
                node.open(node.home, null, new EmbeddedNode.RecordingHandler(), smallWindow));
        members.forEach(member -> member.session().join("room"));

        registry.broadcast("room", Message.text("x".repeat(1000)), null);
        node.home.runPendingTasks();

        List<ByteBuf> frames = new ArrayList<>();
        for (ByteBuf frame; (frame = node.home.readOutbound()) != null; ) {
            frames.add(frame);
        }
        try {
            assertThat(frames).hasSize(4);
            assertThat(frames.get(0).getByte(0) & 0xFF).as("FIN, text").isEqualTo(0x81);
            assertThat(frames.get(1).getByte(0) & 0xFF).as("FIN, RSV1, text").isEqualTo(0xC1);
            assertThat(root(frames.get(2))).as("one compressed frame").isSameAs(root(frames.get(1)));
            assertThat(frames.get(1).readableBytes()).isLessThan(100);
            assertThat(root(frames.get(3)))
                    .as("1000 bytes do not fit a 512-byte window: plain")
                    .isSameAs(root(frames.get(0)));
        } finally {
            frames.forEach(ByteBuf::release);
        }
    }

    @Test
    void aWindowIsMeasuredInBytesNotCharacters() {
        WebSocketConnection member = node.open(
                node.home, null, new EmbeddedNode.RecordingHandler(), new PerMessageDeflate.Agreement(9, 0, false));
        member.session().join("room");

        registry.broadcast("room", Message.text("é".repeat(300)), null); // 300 characters, 600 bytes
        node.home.runPendingTasks();

        ByteBuf frame = node.home.readOutbound();
        try {
            assertThat(frame.getByte(0) & 0xFF)
                    .as("600 bytes do not fit a 512-byte window")
                    .isEqualTo(0x81);
        } finally {
            frame.release();
        }
    }

    private static ByteBuf root(ByteBuf buf) {
        while (buf.unwrap() != null) {
            buf = buf.unwrap();
        }
        return buf;
    }

    @Test
    void aBroadcastThroughTheEngineSkipsTheExcludedMember() {
        WebSocketConnection sender = open(null);
        WebSocketConnection other = open(null);
        sender.session().join("room");
        other.session().join("room");
        node.home.runPendingTasks();

        node.engine.broadcast("room", Message.binary(new byte[] {1, 2, 3}), sender.address());
        node.home.runPendingTasks();

        assertThat(written(node.home)).containsExactly("\u0082\u0003\u0001\u0002\u0003");
    }

    @Test
    void leavingAGroupStopsItsBroadcasts() {
        WebSocketConnection member = open(null);
        member.session().join("room");
        member.session().join("lobby");
        member.session().leave("room");

        registry.broadcast("room", Message.text("r"), null);
        registry.broadcast("lobby", Message.text("l"), null);
        node.home.runPendingTasks();

        assertThat(written(node.home)).containsExactly("text:l");
        assertThat(member.session().groups()).containsExactly("lobby");
    }

    @Test
    void eventsReachTheMembersHandlers() {
        EmbeddedNode.RecordingHandler handler = new EmbeddedNode.RecordingHandler();
        WebSocketConnection member = node.open(node.home, null, handler);
        member.session().join("room");

        registry.event("room", Event.of("ping", 1));
        node.home.runPendingTasks();

        assertThat(handler.seen).containsExactly("ping 1");
    }

    @Test
    void closeAllClosesEverySessionAndDrainedCompletesWhenTheLastIsGone() {
        EmbeddedNode.RecordingHandler firstHandler = new EmbeddedNode.RecordingHandler();
        EmbeddedNode.RecordingHandler secondHandler = new EmbeddedNode.RecordingHandler();
        EmbeddedChannel first = inPipeline(firstHandler);
        EmbeddedChannel second = inPipeline(secondHandler);

        registry.closeAll(CloseStatus.GOING_AWAY);
        CompletableFuture<Void> drained = registry.drained();

        assertThat(written(first)).containsExactly(closeFrame(1001));
        assertThat(written(second)).containsExactly(closeFrame(1001));
        assertThat(drained).isNotDone();
        first.close(); // the client answered: the connection ends
        assertThat(firstHandler.seen).containsExactly("disconnect 1001");
        assertThat(drained).isNotDone();
        second.close();
        assertThat(drained).isCompleted();
        assertThat(registry.size()).isZero();
    }

    @Test
    void closeAllWithNoSessionsIsDrainedAtOnce() {
        registry.closeAll(CloseStatus.GOING_AWAY);

        assertThat(registry.drained()).isCompleted();
    }

    /** A session whose channel events reach it, as after a real upgrade. */
    private EmbeddedChannel inPipeline(EmbeddedNode.RecordingHandler handler) {
        EmbeddedChannel channel = node.newChannel();
        WebSocketConnection session = new WebSocketConnection(
                node.context, channel, Scope.builder("/ws").build(), handler);
        channel.pipeline().addLast(session);
        session.opened(null);
        return channel;
    }

    private static String textFrame(String text) {
        return "text:" + text;
    }

    private static String closeFrame(int code) {
        return "close:" + code;
    }
}
