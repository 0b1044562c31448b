/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import static io.switchboard.transport.websocket.EmbeddedWire.written;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.switchboard.session.CloseStatus;
import io.switchboard.settings.Limits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Close frames and the close timeout on an embedded channel, with a clock the test moves. */
class CloserTest {

    private final FakeTime time = new FakeTime();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final Lifecycle lifecycle = new Lifecycle(() -> true);
    private final List<Runnable> queuedForHandler = new ArrayList<>();
    private final InboundFlow flow =
            new InboundFlow(1000, on -> channel.config().setAutoRead(on), channel.eventLoop());
    private final Closer closer = new Closer(
            channel,
            lifecycle,
            time,
            Limits.defaults().withTimeouts(t -> t.withCloseTimeout(Duration.ofSeconds(5))),
            flow,
            queuedForHandler::add);

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    @Test
    void ourCloseWaitsForTheAnswerForTheCloseTimeoutThenClosesTcp() {
        lifecycle.opened();
        closer.close(CloseStatus.NORMAL);
        assertThat(written(channel)).containsExactly("close:1000");
        time.advance(4_999);
        assertThat(channel.isOpen()).isTrue();
        time.advance(1);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void thePeersAnswerClosesTcpAtOnce() {
        lifecycle.opened();
        closer.close(CloseStatus.NORMAL);
        closer.peerClosed(new CloseWebSocketFrame(1000, "bye"));
        assertThat(channel.isOpen()).isFalse();
        closer.cancel();
        assertThat(time.pending()).isZero();
    }

    @Test
    void thePeersCloseWaitsForTheHandlerThenIsEchoedAndTcpClosed() {
        lifecycle.opened();
        closer.peerClosed(new CloseWebSocketFrame(4000, "done"));
        assertThat(written(channel)).isEmpty();
        assertThat(channel.config().isAutoRead()).isFalse(); // nothing read meanwhile would be used
        queuedForHandler.forEach(Runnable::run); // the handler took what came before
        assertThat(written(channel)).containsExactly("close:4000");
        assertThat(channel.isOpen()).isFalse();
        assertThat(lifecycle.tcpClosed()).isEqualTo(new CloseStatus(4000, "done"));
    }

    @Test
    void aHandlerSlowerThanTheCloseTimeoutIsNotWaitedFor() {
        lifecycle.opened();
        closer.closeAfterQueued(CloseStatus.MESSAGE_TOO_BIG);
        time.advance(5_000);
        assertThat(written(channel)).containsExactly("close:1009");
        assertThat(channel.config().isAutoRead()).isTrue(); // for the peer's answer
        queuedForHandler.forEach(Runnable::run); // late: nothing more happens
        assertThat(written(channel)).isEmpty();
        time.advance(5_000);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void failingSendsTheFrameAfterTheDrainAndClosesAChannelThatCannotLinger() {
        lifecycle.opened();
        closer.fail(CloseStatus.POLICY_VIOLATION);
        queuedForHandler.forEach(Runnable::run);
        assertThat(written(channel)).containsExactly("close:1008");
        assertThat(channel.isOpen()).isFalse(); // an embedded channel cannot shut its output alone
    }

    @Test
    void anUnresponsivePeerIsClosedAtOnce() {
        lifecycle.opened();
        closer.unresponsive(CloseStatus.GOING_AWAY);
        assertThat(written(channel)).containsExactly("close:1001");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aFailedConnectionDoesNotReadAgainWhenTheHandlerIsDrained() {
        lifecycle.opened();
        closer.fail(CloseStatus.POLICY_VIOLATION);
        assertThat(channel.config().isAutoRead()).isFalse();
        queuedForHandler.forEach(Runnable::run); // the handler took what came before
        assertThat(written(channel)).containsExactly("close:1008");
        // Only the lingering close reads again, to discard; a flood is never decoded meanwhile.
        assertThat(channel.config().isAutoRead()).isFalse();
    }
}
