/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.session.CloseStatus;
import io.switchboard.transport.websocket.Lifecycle.Initiator;
import io.switchboard.transport.websocket.Lifecycle.Phase;
import io.switchboard.transport.websocket.Lifecycle.Step;
import io.switchboard.transport.websocket.Lifecycle.Then;
import org.junit.jupiter.api.Test;

/** The closing rules of RFC 6455 section 7, driven by plain inputs: no socket, no clock. */
class LifecycleTest {

    private static final CloseStatus TOO_BIG = CloseStatus.MESSAGE_TOO_BIG.withReason("message over 10 bytes");
    private static final CloseStatus RATE = CloseStatus.POLICY_VIOLATION.withReason("rate limit exceeded");

    private boolean peerReading = true;
    private final Lifecycle lifecycle = new Lifecycle(() -> peerReading);

    private Lifecycle open() {
        assertThat(lifecycle.opened()).isNull();
        return lifecycle;
    }

    @Test
    void aConnectionStartsConnectingTakingSendsButNoFrames() {
        assertThat(lifecycle.phase()).isEqualTo(new Phase.Connecting(null));
        assertThat(lifecycle.sending()).isTrue();
        assertThat(lifecycle.reading()).isFalse();
        assertThat(lifecycle.open()).isFalse();
        open();
        assertThat(lifecycle.reading()).isTrue();
        assertThat(lifecycle.open()).isTrue();
    }

    @Test
    void aCloseDuringTheHandshakeWaitsForItThenOnlyTheFirstCounts() {
        assertThat(lifecycle.close(CloseStatus.NORMAL)).isEqualTo(Lifecycle.NOTHING);
        assertThat(lifecycle.close(CloseStatus.GOING_AWAY)).isEqualTo(Lifecycle.NOTHING);
        assertThat(lifecycle.closable()).isFalse();
        assertThat(lifecycle.opened()).isEqualTo(CloseStatus.NORMAL);
    }

    @Test
    void ourCloseSendsAFrameAndWaitsForThePeersAnswerWhichClosesTcp() {
        open();
        assertThat(lifecycle.close(CloseStatus.NORMAL))
                .isEqualTo(new Step.SendClose(CloseStatus.NORMAL, Then.AWAIT_PEER));
        assertThat(lifecycle.phase()).isEqualTo(new Phase.Closing(Initiator.US, CloseStatus.NORMAL));
        assertThat(lifecycle.sending()).isFalse();
        assertThat(lifecycle.close(CloseStatus.GOING_AWAY)).isEqualTo(Lifecycle.NOTHING); // twice does nothing
        assertThat(lifecycle.peerClosed(CloseStatus.NORMAL)).isEqualTo(Lifecycle.CLOSE_TCP);
        assertThat(lifecycle.tcpClosed()).isEqualTo(CloseStatus.NORMAL);
        assertThat(lifecycle.finished()).isTrue();
    }

    @Test
    void ourCloseToAPeerThatDoesNotReadClosesTcpAtOnce() {
        open();
        peerReading = false;
        assertThat(lifecycle.close(CloseStatus.NORMAL)).isEqualTo(Lifecycle.CLOSE_TCP);
        assertThat(lifecycle.tcpClosed()).isEqualTo(CloseStatus.NORMAL);
    }

    @Test
    void theCloseTimeoutClosesTcpUnlessItClosedAlready() {
        open();
        lifecycle.close(CloseStatus.NORMAL);
        assertThat(lifecycle.timedOut()).isEqualTo(Lifecycle.CLOSE_TCP);
        lifecycle.tcpClosed();
        assertThat(lifecycle.timedOut()).isEqualTo(Lifecycle.NOTHING);
    }

    @Test
    void thePeersCloseIsEchoedWithoutItsReasonOnceTheHandlerIsDrained() {
        open();
        CloseStatus peer = new CloseStatus(4001, "bye");
        assertThat(lifecycle.peerClosed(peer)).isEqualTo(Lifecycle.DRAIN);
        assertThat(lifecycle.reading()).isFalse(); // frames after a close are dropped
        assertThat(lifecycle.open()).isTrue(); // the handler's replies still go out
        assertThat(lifecycle.drained())
                .isEqualTo(new Step.SendClose(new CloseStatus(4001, ""), Then.CLOSE_WHEN_WRITTEN));
        assertThat(lifecycle.tcpClosed()).isEqualTo(peer); // what the handler hears
    }

    @Test
    void aPeerCloseWithoutStatusIsAnsweredWithAnEmptyFrame() {
        open();
        lifecycle.peerClosed(CloseStatus.NO_STATUS);
        assertThat(lifecycle.drained()).isEqualTo(new Step.SendClose(CloseStatus.NO_STATUS, Then.CLOSE_WHEN_WRITTEN));
    }

    @Test
    void aHandlerClosingWhileThePeersCloseWaitsAnswersItWithItsOwnStatus() {
        open();
        lifecycle.peerClosed(CloseStatus.NORMAL);
        assertThat(lifecycle.close(CloseStatus.GOING_AWAY))
                .isEqualTo(new Step.SendClose(CloseStatus.GOING_AWAY, Then.CLOSE_WHEN_WRITTEN));
        assertThat(lifecycle.drained()).isEqualTo(Lifecycle.NOTHING);
        assertThat(lifecycle.tcpClosed()).isEqualTo(CloseStatus.GOING_AWAY);
    }

    @Test
    void aMessageTooBigStartsTheClosingHandshakeAfterTheDrain() {
        open();
        assertThat(lifecycle.closeAfterQueued(TOO_BIG)).isEqualTo(Lifecycle.DRAIN);
        assertThat(lifecycle.closeAfterQueued(TOO_BIG)).isEqualTo(Lifecycle.NOTHING);
        assertThat(lifecycle.drained()).isEqualTo(new Step.SendClose(TOO_BIG, Then.AWAIT_PEER));
    }

    @Test
    void thePeersCloseArrivingDuringTheDrainMakesOursTheLastWord() {
        open();
        lifecycle.closeAfterQueued(TOO_BIG);
        assertThat(lifecycle.peerClosed(CloseStatus.NORMAL)).isEqualTo(Lifecycle.NOTHING);
        assertThat(lifecycle.drained()).isEqualTo(new Step.SendClose(TOO_BIG, Then.CLOSE_WHEN_WRITTEN));
    }

    @Test
    void failingSendsTheFrameAfterTheDrainThenLingersAndASecondFailureAddsNothing() {
        open();
        assertThat(lifecycle.fail(RATE)).isEqualTo(Lifecycle.DRAIN);
        assertThat(lifecycle.fail(TOO_BIG)).isEqualTo(Lifecycle.NOTHING);
        assertThat(lifecycle.close(CloseStatus.NORMAL)).isEqualTo(Lifecycle.NOTHING); // the failure wins
        assertThat(lifecycle.drained()).isEqualTo(new Step.SendClose(RATE, Then.LINGER));
        assertThat(lifecycle.phase()).isEqualTo(new Phase.Closing(Initiator.FAILURE, RATE));
        assertThat(lifecycle.fail(TOO_BIG)).isEqualTo(Lifecycle.CLOSE_TCP);
    }

    @Test
    void anUnansweredPingClosesAtOnceWith1001() {
        open();
        CloseStatus timeout = CloseStatus.GOING_AWAY.withReason("ping timeout");
        assertThat(lifecycle.unresponsive(timeout)).isEqualTo(new Step.SendClose(timeout, Then.CLOSE_NOW));
        assertThat(lifecycle.unresponsive(timeout)).isEqualTo(Lifecycle.NOTHING);
        assertThat(lifecycle.tcpClosed()).isEqualTo(timeout);
    }

    @Test
    void tcpClosingWithoutACloseIsAbnormal() {
        open();
        assertThat(lifecycle.tcpClosed()).isEqualTo(CloseStatus.ABNORMAL);
        assertThat(lifecycle.close(CloseStatus.NORMAL)).isEqualTo(Lifecycle.NOTHING);
        assertThat(lifecycle.sending()).isFalse();
    }

    @Test
    void aRefusedConnectionIsFinishedAndTakesNothing() {
        lifecycle.rejected();
        assertThat(lifecycle.finished()).isTrue();
        assertThat(lifecycle.sending()).isFalse();
        assertThat(lifecycle.fail(RATE)).isEqualTo(Lifecycle.NOTHING);
    }
}
