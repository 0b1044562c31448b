/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Inbound flow control from plain counts: when reading stops and when it starts again. */
class InboundFlowTest {

    private final List<String> valve = new ArrayList<>();
    private final List<Runnable> loop = new ArrayList<>();
    private final InboundFlow flow = new InboundFlow(1000, on -> valve.add(on ? "read" : "stop"), loop::add);

    private void runLoop() {
        List<Runnable> tasks = List.copyOf(loop);
        loop.clear();
        tasks.forEach(Runnable::run);
    }

    @Test
    void readingStopsOverTheLimitAndResumesOnTheLoopOnceTheHandlerIsDownToHalf() {
        flow.queued(600);
        flow.queued(400);
        assertThat(valve).isEmpty(); // at the limit, not over it
        flow.queued(1);
        assertThat(valve).containsExactly("stop");
        assertThat(flow.paused()).isTrue();
        flow.taken(400);
        assertThat(loop).isEmpty(); // 601 queued: more than half
        flow.taken(101);
        assertThat(loop).hasSize(1); // the handler's thread hands the resume to the loop
        runLoop();
        assertThat(valve).containsExactly("stop", "read");
        assertThat(flow.paused()).isFalse();
    }

    @Test
    void aHeldCloseKeepsReadingStoppedUntilReleasedAndABacklogOutlastsTheRelease() {
        flow.hold();
        flow.queued(1001);
        flow.taken(1001);
        runLoop();
        assertThat(valve).containsExactly("stop", "stop"); // the backlog went, the close still holds
        flow.release();
        assertThat(valve).containsExactly("stop", "stop", "read");

        valve.clear();
        flow.queued(1001);
        flow.hold();
        flow.release();
        assertThat(valve).containsExactly("stop", "stop"); // still behind: no reading yet
    }

    @Test
    void readingStartsAfterTheHandshakeOnlyIfTheFramesThatCameWithItAllowIt() {
        flow.start();
        assertThat(valve).containsExactly("read");

        valve.clear();
        flow.queued(1001); // early frames already over the inbound buffer
        flow.start();
        assertThat(valve).containsExactly("stop");

        InboundFlow closing = new InboundFlow(1000, on -> valve.add(on ? "read" : "stop"), loop::add);
        valve.clear();
        closing.hold(); // an early frame made a close wait for the handler
        closing.start();
        assertThat(valve).containsExactly("stop");
    }

    @Test
    void eventsAreRefusedOnceTheBacklogIsTwiceTheLimit() {
        flow.queued(2000);
        assertThat(flow.overloaded()).isFalse();
        flow.queued(1);
        assertThat(flow.overloaded()).isTrue();
    }
}
