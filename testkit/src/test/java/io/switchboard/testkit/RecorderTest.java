/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The recorder every expectation in the testkit rests on. */
class RecorderTest {

    private static final Duration SHORT = Duration.ofMillis(50);

    private final Recorder<ClientEvent> recorder = new Recorder<>("client /ws/echo");

    @AfterEach
    void clearInterruptFlag() {
        Thread.interrupted();
    }

    @Test
    void eventsComeOutInTheOrderRecorded() {
        recorder.record(new ClientEvent.Text("one"));
        recorder.record(new ClientEvent.Binary(new byte[] {2}));
        recorder.record(new ClientEvent.Closed(1000, ""));

        assertThat(recorder.size()).isEqualTo(3);
        assertThat(recorder.next(SHORT)).isEqualTo(new ClientEvent.Text("one"));
        assertThat(recorder.next(ClientEvent.Binary.class, SHORT).data()).containsExactly(2);
        assertThat(recorder.next(ClientEvent.Closed.class, SHORT).code()).isEqualTo(1000);
        assertThat(recorder.size()).isZero();
        recorder.assertEmpty();
    }

    @Test
    void nextWaitsForAnEventRecordedByAnotherThread() throws InterruptedException {
        Thread producer = Thread.ofVirtual().start(() -> recorder.record(new ClientEvent.Text("late")));

        assertThat(recorder.next(ClientEvent.Text.class, Duration.ofSeconds(10)).text())
                .isEqualTo("late");
        producer.join();
    }

    @Test
    void aTimeoutFailsNamingTheRecorderAndTheWait() {
        assertThatThrownBy(() -> recorder.next(SHORT))
                .isInstanceOf(AssertionError.class)
                .hasMessage("client /ws/echo: no event within 50 ms");
        assertThatThrownBy(() -> recorder.next(ClientEvent.Text.class, SHORT))
                .isInstanceOf(AssertionError.class)
                .hasMessage("client /ws/echo: no event within 50 ms");
    }

    @Test
    void anEventOfAnotherKindFailsNamingBoth() {
        recorder.record(new ClientEvent.Closed(1011, "internal error"));

        assertThatThrownBy(() -> recorder.next(ClientEvent.Text.class, SHORT))
                .isInstanceOf(AssertionError.class)
                .hasMessage("client /ws/echo: expected Text but got Closed[code=1011, reason=internal error]");
    }

    @Test
    void unreadEventsFailAssertEmptyListingThem() {
        recorder.record(new ClientEvent.Text("unread"));
        recorder.record(new ClientEvent.Binary("ab".getBytes()));

        assertThatThrownBy(recorder::assertEmpty)
                .isInstanceOf(AssertionError.class)
                .hasMessage("client /ws/echo: unread events [Text[text=unread], Binary[ab]]");
    }

    @Test
    void expectNothingPassesInSilenceAndFailsOnAnEvent() {
        recorder.expectNothing(SHORT);

        recorder.record(new ClientEvent.Text("surprise"));
        assertThatThrownBy(() -> recorder.expectNothing(SHORT))
                .isInstanceOf(AssertionError.class)
                .hasMessage("client /ws/echo: expected nothing but got Text[text=surprise]");
    }

    @Test
    void anInterruptedWaitFailsAndKeepsTheInterrupt() {
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> recorder.next(Duration.ofSeconds(10)))
                .isInstanceOf(AssertionError.class)
                .hasMessage("client /ws/echo: interrupted while waiting for an event");
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void binaryEventsCompareByContent() {
        assertThat(new ClientEvent.Binary(new byte[] {1, 2})).isEqualTo(new ClientEvent.Binary(new byte[] {1, 2}));
        assertThat(new ClientEvent.Binary(new byte[] {1, 2}))
                .hasSameHashCodeAs(new ClientEvent.Binary(new byte[] {1, 2}));
        assertThat(new ClientEvent.Binary(new byte[] {1, 2})).isNotEqualTo(new ClientEvent.Binary(new byte[] {2, 1}));
    }
}
