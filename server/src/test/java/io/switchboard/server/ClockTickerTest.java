/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.session.Hub;
import io.switchboard.session.Message;
import io.switchboard.testkit.ManualClock;
import io.switchboard.testkit.SteppedScheduler;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The product's clock ticks on whole seconds and never bursts to catch up after running late. */
class ClockTickerTest {

    private static final Instant START = Instant.parse("2026-03-06T05:29:58Z");

    @Test
    void aLateTickIsFollowedByOneTickOnTheNextSecond() throws InterruptedException {
        ManualClock clock = new ManualClock(START.plusMillis(250), ZoneOffset.UTC);
        List<Message> sent = new ArrayList<>();
        Hub hub = (Hub)
                Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Hub.class}, (proxy, m, args) -> {
                    if (m.getName().equals("broadcast") && args[0].equals(ClockTicker.group("n1"))) {
                        sent.add((Message) args[1]);
                        return null;
                    }
                    throw new AssertionError("unexpected call " + m.getName());
                });
        SteppedScheduler scheduler = new SteppedScheduler();
        try (ClockTicker ticker = new ClockTicker(clock)) {
            ticker.start(hub, "n1", scheduler);
            SteppedScheduler.Scheduled first = scheduler.next();
            assertThat(first.millis())
                    .as("the first tick on the next whole second")
                    .isEqualTo(750);

            clock.set(START.plusMillis(5_300)); // the first tick runs 4.3 s late: the machine was busy
            first.task().run();
            assertThat(sent).containsExactly(ClockTicker.tick(START.plusMillis(5_300)));
            assertThat(scheduler.next().millis())
                    .as("then the next second, once")
                    .isEqualTo(700);
        }
        assertThat(scheduler.isShutdown())
                .as("closing the ticker stops its scheduler")
                .isTrue();
    }
}
