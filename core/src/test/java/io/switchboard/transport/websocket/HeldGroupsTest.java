/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import static io.switchboard.transport.websocket.EmbeddedWire.written;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Message;
import io.switchboard.settings.Limits;
import io.switchboard.settings.SlowConsumerPolicy;
import io.switchboard.transport.Counters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Holding a group's broadcasts and releasing them after a message, on an embedded channel. */
class HeldGroupsTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new EmbeddedWire.FlushCounter());
    private final Lifecycle lifecycle = new Lifecycle(() -> true);
    private final List<CloseStatus> closes = new ArrayList<>();
    private Outbound outbound;
    private HeldGroups held;

    @BeforeEach
    void open() {
        lifecycle.opened();
        held = held(1 << 20, SlowConsumerPolicy.CLOSE);
        outbound.opened();
    }

    private final Counters counters = new Counters(true, () -> 0);

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    private HeldGroups held(int limit, SlowConsumerPolicy policy) {
        Limits limits = Limits.defaults()
                .withBuffers(b -> b.withOutboundBufferBytes(limit).withSlowConsumerPolicy(policy));
        outbound = new Outbound(channel, lifecycle, limits, "test", closes::add, null, counters);
        return new HeldGroups(channel, outbound, limit, "test", closes::add, counters);
    }

    /** A broadcast of {@code group} as the connection takes it: held, or written as a shared frame. */
    private void broadcast(String group, String text) {
        if (held.hold(group, Message.text(text))) {
            return;
        }
        ByteBuf shared = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        try {
            outbound.writeBatched(shared, text.length());
            outbound.flushBatch();
        } finally {
            shared.release();
        }
    }

    private static boolean above(Message message, int offset) {
        return Integer.parseInt(((Message.Text) message).text().substring(1)) > offset;
    }

    @Test
    void aHeldGroupsBroadcastsWaitAndFollowTheReleasedMessageFilteredInOrder() {
        held.start("room");
        broadcast("room", "p1");
        broadcast("room", "p2");
        broadcast("room", "p3");
        broadcast("other", "o1");
        assertThat(written(channel)).containsExactly("o1");

        held.release("room", Message.text("reply"), message -> above(message, 1));
        broadcast("room", "p4");

        assertThat(written(channel)).containsExactly("text:reply", "text:p2", "text:p3", "p4");
        assertThat(held.size()).isZero();
    }

    @Test
    void aReleaseCountsTheHandlersMessageAsSentAndTheKeptBroadcastsAsDelivered() {
        held.start("room");
        broadcast("room", "p1");
        broadcast("room", "p2");
        broadcast("room", "p3");
        assertThat(counters.messagesOut()).isZero();

        held.release("room", Message.text("reply"), message -> above(message, 1));
        assertThat(written(channel)).containsExactly("text:reply", "text:p2", "text:p3");
        assertThat(counters.messagesOut()).isEqualTo(3);
        assertThat(counters.bytesOut()).isEqualTo("reply".length() + 2 + 2);
        assertThat(counters.deliveries()).as("p1 was filtered out").isEqualTo(2);
    }

    @Test
    void theReleaseFilterGoesOnDroppingLateBroadcastsUntilTheGroupIsLeft() {
        held.start("room");
        broadcast("room", "p2");
        held.release("room", Message.text("reply"), message -> above(message, 2));
        broadcast("room", "p1"); // made before the reply's state, delivered late
        broadcast("room", "p3");
        assertThat(written(channel)).containsExactly("text:reply", "p3");

        held.cancel("room");
        broadcast("room", "p1");
        assertThat(written(channel)).containsExactly("p1");
    }

    @Test
    void aSettlingFilterEndsOnceItSaysNothingOlderCanFollow() {
        List<Message> tested = new ArrayList<>();
        io.switchboard.session.ReleaseFilter newerThanTwo = new io.switchboard.session.ReleaseFilter() {
            private boolean settled;

            @Override
            public boolean test(Message message) {
                tested.add(message);
                settled |= above(message, 2);
                return above(message, 2);
            }

            @Override
            public boolean settled() {
                return settled;
            }
        };
        held.start("room");
        held.release("room", Message.text("reply"), newerThanTwo);
        broadcast("room", "p2"); // late: dropped
        broadcast("room", "p3"); // newer: kept, and the filter settles
        broadcast("room", "p1"); // not tested any more
        assertThat(written(channel)).containsExactly("text:reply", "p3", "p1");
        assertThat(tested).hasSize(2);
    }

    @Test
    void aHoldStartedAgainAfterAReleaseHoldsAfresh() {
        held.start("room");
        held.release("room", Message.text("first"), message -> true);
        held.start("room");
        broadcast("room", "p1");
        assertThat(written(channel)).containsExactly("text:first");
        held.release("room", Message.text("second"), message -> true);
        assertThat(written(channel)).containsExactly("text:second", "text:p1");
    }

    @Test
    void aReleaseWithoutAHoldSendsItsMessageAlone() {
        held.release("room", Message.text("reply"), message -> true);
        assertThat(written(channel)).containsExactly("text:reply");
    }

    @Test
    void severalGroupsReleasedOneAfterAnotherAfterOneMessage() {
        held.start("a");
        held.start("b");
        broadcast("b", "b1");
        broadcast("a", "a1");
        held.release("a", Message.text("reply"), message -> true);
        broadcast("b", "b2");
        held.release("b", null, message -> true);
        assertThat(written(channel)).containsExactly("text:reply", "text:a1", "text:b1", "text:b2");
    }

    @Test
    void aFilterThatThrowsDeliversRatherThanLosesAndTheBroadcastGoesOn() {
        held.start("room");
        broadcast("room", "p1");
        held.release("room", Message.text("reply"), message -> {
            throw new IllegalStateException("a broken filter");
        });
        broadcast("room", "p2");
        assertThat(written(channel)).containsExactly("text:reply", "text:p1", "p2");
    }

    @Test
    void aReleasedBurstIsWrittenWholeThoughItFillsTheOutboundBuffer() {
        held = held(1000, SlowConsumerPolicy.DROP);
        channel.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(100, 200));
        OutboundLatestTest.Stall stall = new OutboundLatestTest.Stall();
        channel.pipeline().addFirst(stall);
        held.start("room");
        for (int i = 0; i < 9; i++) {
            broadcast("room", "p" + i + "x".repeat(90));
        }
        stall.stalled = true; // the client reads slowly: the burst outgrows the outbound buffer
        held.release("room", Message.text("reply"), message -> true);
        stall.stalled = false;
        channel.flush();
        assertThat(written(channel)).hasSize(10);
        assertThat(closes).isEmpty();
    }

    @Test
    void heldBroadcastsPastTheOutboundLimitCloseTheConnectionAsASlowConsumerEvenWithTheDropPolicy() {
        held = held(10, SlowConsumerPolicy.DROP);
        held.start("room");
        broadcast("room", "p1234");
        broadcast("room", "p5678");
        assertThat(closes).isEmpty();
        broadcast("room", "p9");
        broadcast("room", "p10");

        assertThat(closes).containsExactly(CloseStatus.POLICY_VIOLATION.withReason("slow consumer"));
        assertThat(held.size()).isZero();
        held.release("room", Message.text("reply"), message -> true);
        assertThat(written(channel)).containsExactly("text:reply");
    }

    @Test
    void heldBroadcastsPastTheLimitOfAConnectionAlreadyClosingNeitherCloseNorCountItAgain() {
        held = held(10, SlowConsumerPolicy.CLOSE);
        held.start("room");
        lifecycle.close(CloseStatus.POLICY_VIOLATION.withReason("slow consumer")); // a member till TCP closes
        broadcast("room", "p1234");
        broadcast("room", "p5678");
        broadcast("room", "p9");

        assertThat(closes).isEmpty();
        assertThat(counters.slowConsumerCloses()).isZero();
        assertThat(held.size()).as("what was held is dropped all the same").isZero();
    }

    @Test
    void leavingEndsTheHoldAndDropsWhatItHeld() {
        held.start("room");
        broadcast("room", "p1");
        held.cancel("room");
        broadcast("room", "p2");
        held.release("room", Message.text("reply"), message -> true);
        assertThat(written(channel)).containsExactly("p2", "text:reply");
    }

    @Test
    void aConnectionThatClosesWhileHoldingForgetsEverythingAndWritesNoMore() {
        held.start("room");
        broadcast("room", "p1");
        held.clear();
        assertThat(held.size()).isZero();
        lifecycle.tcpClosed();
        held.release("room", Message.text("reply"), message -> true);
        assertThat(written(channel)).isEmpty();
    }
}
