/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport;

import static io.switchboard.transport.websocket.EmbeddedWire.written;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import io.switchboard.session.Address;
import io.switchboard.session.Message;
import io.switchboard.session.Scope;
import io.switchboard.transport.websocket.EmbeddedWire;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The drain at shutdown, without sockets: sessions on embedded channels, the drain limit on an
 * embedded loop whose clock the test moves. Thirty seconds of drain pass in no time.
 */
class DrainTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    private final EmbeddedNode node = new EmbeddedNode();
    private final MockTicker time = Ticker.newMockTicker();
    /** The loop the drain's limit runs on. */
    private final EmbeddedChannel clock = EmbeddedChannel.builder().ticker(time).build();

    private final Drain drain = new Drain(node.registry, clock.eventLoop());

    @AfterEach
    void releaseEverything() {
        node.close();
        clock.finishAndReleaseAll();
    }

    /** Moves the drain's clock on and runs what came due; what is left to wait, -1 for nothing. */
    private long advance(Duration step) {
        time.advance(step.toNanos(), TimeUnit.NANOSECONDS);
        return clock.runScheduledPendingTasks();
    }

    @Test
    void everySessionIsToldGoingAwayAfterWhatWasQueuedForIt() {
        EmbeddedChannel ann = session();
        EmbeddedChannel bob = session();
        node.registry.sendTo(addressOn(ann), Message.text("last words"));

        drain.start(LIMIT);

        assertThat(written(ann)).containsExactly("text:last words", "close:1001");
        assertThat(written(bob)).containsExactly("close:1001");
    }

    @Test
    void theDrainEndsWhenTheLastSessionHasClosedAndItsTimerGoes() {
        EmbeddedChannel ann = session();
        EmbeddedChannel bob = session();

        CompletableFuture<Boolean> drained = drain.start(LIMIT);
        ann.close(); // the client answered the close: the connection ends
        assertThat(drained).isNotDone();
        bob.close();

        assertThat(drained).isCompletedWithValue(true);
        assertThat(advance(Duration.ZERO)).as("no timer left behind").isEqualTo(-1);
    }

    @Test
    void theDrainGivesUpWhenTheLimitHasPassed() {
        EmbeddedChannel mute = session();

        CompletableFuture<Boolean> drained = drain.start(LIMIT);
        advance(LIMIT.minusMillis(1));
        assertThat(drained).isNotDone();
        advance(Duration.ofMillis(1));

        assertThat(drained).isCompletedWithValue(false);
        assertThat(mute.isOpen()).as("dropped by the server, not by the drain").isTrue();
        assertThat(node.registry.size()).isEqualTo(1);
    }

    @Test
    void withNoSessionsTheDrainIsOverAtOnceAndSetsNoTimer() {
        CompletableFuture<Boolean> drained = drain.start(LIMIT);

        assertThat(drained).isCompletedWithValue(true);
        assertThat(advance(Duration.ZERO)).isEqualTo(-1);
    }

    private Address addressOn(EmbeddedChannel channel) {
        return channel.pipeline().get(WebSocketConnection.class).address();
    }

    /** An open session whose channel events reach it, as after a real upgrade. */
    private EmbeddedChannel session() {
        EmbeddedChannel channel = node.newChannel();
        WebSocketConnection session = new WebSocketConnection(
                node.context, channel, Scope.builder("/ws").build(), new EmbeddedNode.RecordingHandler());
        channel.pipeline().addLast(session);
        session.opened(null);
        EmbeddedWire.flushes(channel);
        return channel;
    }
}
