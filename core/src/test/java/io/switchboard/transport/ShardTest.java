/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport;

import static io.switchboard.transport.websocket.EmbeddedWire.flushes;
import static io.switchboard.transport.websocket.EmbeddedWire.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.RejectedExecutionHandlers;
import io.switchboard.session.Event;
import io.switchboard.session.Scope;
import io.switchboard.transport.fanout.Shard;
import io.switchboard.transport.websocket.Loops;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The group members of one event loop. The shard runs on the home channel's loop; members live on
 * channels of their own, and every embedded loop runs on the test thread, so each test submits ops,
 * runs the home loop once, and reads what each member's channel got.
 */
class ShardTest {

    private final EmbeddedNode node = new EmbeddedNode();
    private final Shard shard = new Shard(node.home.eventLoop());

    @AfterEach
    void releaseEverything() {
        node.close();
    }

    private static ByteBuf frame(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    private void run() {
        node.home.runPendingTasks();
    }

    @Test
    void nothingHappensUntilTheLoopRuns() {
        EmbeddedChannel channel = node.newChannel();
        WebSocketConnection member = node.open(channel, null, new EmbeddedNode.RecordingHandler());

        shard.submit(new Shard.Join("g", member));
        shard.submit(new Shard.Broadcast("g", frame("one"), null));

        assertThat(written(channel)).isEmpty();
        run();
        assertThat(written(channel)).containsExactly("one");
    }

    @Test
    void aBroadcastReachesEveryMemberOfItsGroupAndNoOneElse() {
        EmbeddedChannel[] channels = {node.newChannel(), node.newChannel(), node.newChannel()};
        List<WebSocketConnection> sessions = new ArrayList<>();
        for (EmbeddedChannel channel : channels) {
            sessions.add(node.open(channel, null, new EmbeddedNode.RecordingHandler()));
        }
        shard.submit(new Shard.Join("g", sessions.get(0)));
        shard.submit(new Shard.Join("g", sessions.get(1)));
        shard.submit(new Shard.Join("other", sessions.get(2)));
        ByteBuf frame = frame("hello");

        shard.submit(new Shard.Broadcast("g", frame, null));
        run();

        assertThat(frame.refCnt())
                .as("the shard let go of its reference; each member holds one")
                .isEqualTo(2);
        assertThat(written(channels[0])).containsExactly("hello");
        assertThat(written(channels[1])).containsExactly("hello");
        assertThat(written(channels[2])).isEmpty();
        assertThat(frame.refCnt()).as("every reference released once written").isZero();
    }

    @Test
    void aBroadcastCanLeaveOneMemberOut() {
        EmbeddedChannel first = node.newChannel();
        EmbeddedChannel second = node.newChannel();
        WebSocketConnection sender = node.open(first, null, new EmbeddedNode.RecordingHandler());
        WebSocketConnection other = node.open(second, null, new EmbeddedNode.RecordingHandler());
        shard.submit(new Shard.Join("g", sender));
        shard.submit(new Shard.Join("g", other));

        shard.submit(new Shard.Broadcast("g", frame("not to the sender"), sender.address()));
        run();

        assertThat(written(first)).isEmpty();
        assertThat(written(second)).containsExactly("not to the sender");
    }

    @Test
    void aBroadcastToAGroupWithNoMembersIsReleased() {
        ByteBuf frame = frame("nobody");

        shard.submit(new Shard.Broadcast("empty", frame, null));
        run();

        assertThat(frame.refCnt()).isZero();
    }

    @Test
    void opsApplyInTheOrderSubmitted() {
        EmbeddedChannel channel = node.newChannel();
        WebSocketConnection member = node.open(channel, null, new EmbeddedNode.RecordingHandler());

        shard.submit(new Shard.Broadcast("g", frame("before join"), null));
        shard.submit(new Shard.Join("g", member));
        shard.submit(new Shard.Broadcast("g", frame("while in"), null));
        shard.submit(new Shard.Leave("g", member));
        shard.submit(new Shard.Broadcast("g", frame("after leave"), null));
        shard.submit(new Shard.Join("g", member));
        shard.submit(new Shard.Broadcast("g", frame("back again"), null));
        run();

        assertThat(written(channel)).containsExactly("while in", "back again");
    }

    @Test
    void aBurstOfBroadcastsIsFlushedOncePerMember() {
        EmbeddedChannel first = node.newChannel();
        EmbeddedChannel second = node.newChannel();
        shard.submit(new Shard.Join("g", node.open(first, null, new EmbeddedNode.RecordingHandler())));
        shard.submit(new Shard.Join("h", node.open(second, null, new EmbeddedNode.RecordingHandler())));
        shard.submit(new Shard.Join("g", node.open(second, null, new EmbeddedNode.RecordingHandler())));
        flushes(first);
        flushes(second);

        for (int i = 0; i < 5; i++) {
            shard.submit(new Shard.Broadcast(i % 2 == 0 ? "g" : "h", frame("m" + i), null));
        }
        run();

        assertThat(written(first)).containsExactly("m0", "m2", "m4");
        assertThat(flushes(first)).isEqualTo(1);
        assertThat(written(second)).containsExactly("m0", "m1", "m2", "m3", "m4");
        assertThat(flushes(second))
                .as("two sessions on one channel: one flush each")
                .isEqualTo(2);

        shard.submit(new Shard.Broadcast("g", frame("later"), null));
        run();
        assertThat(written(first)).containsExactly("later");
        assertThat(flushes(first)).as("the next batch flushes again").isEqualTo(1);
        assertThat(written(second)).containsExactly("later");
    }

    @Test
    void leaveAllLeavesEveryNamedGroup() {
        EmbeddedChannel channel = node.newChannel();
        WebSocketConnection member = node.open(channel, null, new EmbeddedNode.RecordingHandler());
        for (String group : List.of("a", "b", "c")) {
            shard.submit(new Shard.Join(group, member));
        }

        shard.submit(new Shard.LeaveAll(List.of("a", "b", "not-joined"), member));
        for (String group : List.of("a", "b", "c")) {
            shard.submit(new Shard.Broadcast(group, frame("to " + group), null));
        }
        run();

        assertThat(written(channel)).containsExactly("to c");
    }

    @Test
    void aGroupIsForgottenWithItsLastMember() {
        EmbeddedChannel channel = node.newChannel();
        WebSocketConnection first = node.open(channel, null, new EmbeddedNode.RecordingHandler());
        WebSocketConnection second = node.open(channel, null, new EmbeddedNode.RecordingHandler());
        for (int i = 0; i < 100; i++) {
            shard.submit(new Shard.Join("room" + i, first));
            shard.submit(new Shard.Join("room" + i, second));
        }
        run();
        assertThat(shard.groupCount()).isEqualTo(100);

        for (int i = 0; i < 100; i++) {
            shard.submit(new Shard.Leave("room" + i, first));
        }
        run();
        assertThat(shard.groupCount()).isEqualTo(100);
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            all.add("room" + i);
        }
        shard.submit(new Shard.LeaveAll(all, second));
        run();
        assertThat(shard.groupCount()).isZero();
    }

    @Test
    void joiningTwiceMakesOneMembership() {
        EmbeddedChannel channel = node.newChannel();
        WebSocketConnection member = node.open(channel, null, new EmbeddedNode.RecordingHandler());

        shard.submit(new Shard.Join("g", member));
        shard.submit(new Shard.Join("g", member));
        shard.submit(new Shard.Broadcast("g", frame("once"), null));
        shard.submit(new Shard.Leave("g", member));
        shard.submit(new Shard.Broadcast("g", frame("gone"), null));
        run();

        assertThat(written(channel)).containsExactly("once");
    }

    @Test
    void aFinishedSessionTakesNoMembership() {
        EmbeddedChannel channel = node.newChannel();
        WebSocketConnection refused = new WebSocketConnection(
                node.context, channel, Scope.builder("/ws").build(), new EmbeddedNode.RecordingHandler());
        refused.rejected();

        shard.submit(new Shard.Join("g", refused));
        shard.submit(new Shard.Broadcast("g", frame("x"), null));
        run();

        assertThat(refused.isFinished()).isTrue();
        assertThat(written(channel)).isEmpty();
    }

    @Test
    void anEventGoesToEveryMembersHandler() {
        EmbeddedNode.RecordingHandler first = new EmbeddedNode.RecordingHandler();
        EmbeddedNode.RecordingHandler second = new EmbeddedNode.RecordingHandler();
        EmbeddedNode.RecordingHandler outsider = new EmbeddedNode.RecordingHandler();
        shard.submit(new Shard.Join("g", node.open(node.newChannel(), null, first)));
        shard.submit(new Shard.Join("g", node.open(node.newChannel(), null, second)));
        node.open(node.newChannel(), null, outsider);

        shard.submit(new Shard.Deliver("g", Event.of("chat.message", "hi")));
        run();

        assertThat(first.seen).containsExactly("chat.message \"hi\"");
        assertThat(second.seen).containsExactly("chat.message \"hi\"");
        assertThat(outsider.seen).isEmpty();
    }

    @Test
    void membershipMatchesAModelThroughAnyMixOfJoinsAndLeaves() {
        int count = 6;
        List<EmbeddedChannel> channels = new ArrayList<>();
        List<WebSocketConnection> sessions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            EmbeddedChannel channel = node.newChannel();
            channels.add(channel);
            sessions.add(node.open(channel, null, new EmbeddedNode.RecordingHandler()));
        }
        Set<Integer> model = new HashSet<>();
        Random random = new Random(42);
        for (int step = 0; step < 300; step++) {
            int who = random.nextInt(count);
            switch (random.nextInt(3)) {
                case 0 -> {
                    shard.submit(new Shard.Join("g", sessions.get(who)));
                    model.add(who);
                }
                case 1 -> {
                    shard.submit(new Shard.Leave("g", sessions.get(who)));
                    model.remove(who);
                }
                default -> {
                    shard.submit(new Shard.Broadcast("g", frame("s" + step), null));
                    run();
                    for (int i = 0; i < count; i++) {
                        List<String> got = written(channels.get(i));
                        if (model.contains(i)) {
                            assertThat(got).as("step %d member %d", step, i).containsExactly("s" + step);
                        } else {
                            assertThat(got).as("step %d non-member %d", step, i).isEmpty();
                        }
                    }
                }
            }
        }
    }

    /**
     * A loop that rejects a task while still running (here, its queue is full; in a shutdown, its
     * last pass) may be draining the shard's single-consumer queue: the submitter leaves the queue
     * alone, and only once the loop has terminated is what is left released.
     */
    @Test
    void aRejectingLoopThatHasNotTerminatedKeepsTheQueueUntilItHas() throws InterruptedException {
        try (RejectingLoop loop = new RejectingLoop()) {
            Shard rejected = new Shard(loop.executor);
            ByteBuf frame = frame("queued");

            rejected.submit(new Shard.Broadcast("g", frame, null));

            assertThat(frame.refCnt())
                    .as("left for the loop, which is still running")
                    .isOne();
            loop.terminate();
            rejected.discardQueued(); // as LocalRegistry.discardQueued() after the loops terminated
            assertThat(frame.refCnt()).isZero();
        }
    }

    /** A shard run by a loop in its last pass, which rejects the flush it asks for, raises nothing. */
    @Test
    void aFlushTheLoopRejectsIsDropped() throws InterruptedException {
        try (RejectingLoop loop = new RejectingLoop()) {
            Shard last = new Shard(loop.executor);
            EmbeddedChannel channel = node.newChannel();
            last.submit(new Shard.Join("g", node.open(channel, null, new EmbeddedNode.RecordingHandler())));
            last.submit(new Shard.Broadcast("g", frame("unflushed"), null));

            assertThatCode(last::run).doesNotThrowAnyException(); // as that loop would run it
            channel.flush(); // what the channel's close would have failed
            assertThat(written(channel)).containsExactly("unflushed");
        }
    }

    /** A running loop whose task queue is full, so that it rejects tasks without having stopped. */
    private static final class RejectingLoop implements AutoCloseable {
        final DefaultEventExecutor executor = new DefaultEventExecutor(
                null, new DefaultThreadFactory("shard-test"), 16, RejectedExecutionHandlers.reject());
        private final CountDownLatch busy = new CountDownLatch(1);

        RejectingLoop() throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            executor.execute(() -> {
                started.countDown();
                try {
                    busy.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            started.await();
            while (Loops.execute(executor, () -> {})) {
                // fill the queue until it rejects
            }
        }

        void terminate() throws InterruptedException {
            busy.countDown();
            assertThat(executor.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS))
                    .isTrue();
        }

        @Override
        public void close() throws InterruptedException {
            terminate();
        }
    }
}
