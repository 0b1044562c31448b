/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.settings.Limits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The heartbeat on a clock and a scheduler the test moves: no socket, no waiting. */
class HeartbeatTest {

    private final FakeTime time = new FakeTime();
    private final List<String> probed = new ArrayList<>();
    private final Lifecycle lifecycle = new Lifecycle(() -> true);
    private final InboundFlow flow = new InboundFlow(100, on -> probed.add(on ? "read" : "pause"), Runnable::run);
    private final Heartbeat heartbeat = new Heartbeat(
            Limits.defaults().withTimeouts(t -> t.withPingInterval(Duration.ofSeconds(30))
                    .withPongTimeout(Duration.ofSeconds(10))),
            time,
            time,
            lifecycle,
            flow,
            new Heartbeat.Probe() {
                @Override
                public void ping() {
                    probed.add("ping");
                }

                @Override
                public void unresponsive(long pongTimeoutMillis) {
                    probed.add("unresponsive after " + pongTimeoutMillis + " ms");
                }
            });

    private void start() {
        lifecycle.opened();
        heartbeat.start();
    }

    @Test
    void aQuietClientIsPingedAfterTheIntervalAndGivenUpOnAfterThePongTimeout() {
        start();
        time.advance(29_999);
        assertThat(probed).isEmpty();
        time.advance(1);
        assertThat(probed).containsExactly("ping");
        time.advance(9_999);
        assertThat(probed).containsExactly("ping");
        time.advance(1);
        assertThat(probed).containsExactly("ping", "unresponsive after 10000 ms");
        assertThat(time.pending()).isZero();
    }

    @Test
    void anythingHeardAnswersThePingAndRestartsTheInterval() {
        start();
        time.advance(30_000);
        time.advance(5_000);
        heartbeat.heard(time.nanoTime()); // a message, not necessarily a pong
        time.advance(5_000); // the pong timeout: the check finds the answer
        assertThat(probed).containsExactly("ping");
        time.advance(24_999);
        assertThat(probed).containsExactly("ping");
        time.advance(1);
        assertThat(probed).containsExactly("ping", "ping");
    }

    @Test
    void aClientHeardFromNowAndThenIsNeverPinged() {
        start();
        for (int i = 0; i < 10; i++) {
            time.advance(20_000);
            heartbeat.heard(time.nanoTime());
        }
        assertThat(probed).isEmpty();
    }

    @Test
    void whileReadingIsPausedSilenceSaysNothing() {
        start();
        flow.queued(101); // the handler is behind: we stopped reading
        time.advance(120_000);
        assertThat(probed).containsExactly("pause");
    }

    @Test
    void aClosingConnectionIsLeftToTheCloseTimeoutAndAStoppedOneHasNoTimer() {
        start();
        lifecycle.close(io.switchboard.session.CloseStatus.NORMAL);
        time.advance(60_000);
        assertThat(probed).isEmpty();
        assertThat(time.pending()).isZero();

        Heartbeat other = new Heartbeat(Limits.defaults(), time, time, new Lifecycle(() -> true), flow, null);
        other.start();
        other.stop();
        assertThat(time.pending()).isZero();
    }

    @Test
    void theVerdictsFromPlainReadings() {
        long second = 1_000_000_000L;
        assertThat(heartbeat.check(29 * second + time.nanoTime(), false)).isEqualTo(Heartbeat.Verdict.WAIT);
        assertThat(heartbeat.nextCheckIn()).isEqualTo(second);
        assertThat(heartbeat.check(30 * second + time.nanoTime(), false)).isEqualTo(Heartbeat.Verdict.PING);
        assertThat(heartbeat.nextCheckIn()).isEqualTo(10 * second);
        assertThat(heartbeat.check(40 * second + time.nanoTime(), false)).isEqualTo(Heartbeat.Verdict.TIMEOUT);
    }
}
