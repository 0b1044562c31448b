/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.switchboard.engine.InMemoryHistory;
import io.switchboard.engine.Retention;
import io.switchboard.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The sampler's tick: a failure neither stops the sampling nor floods the log. */
class SamplerTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T03:00:00Z"), ZoneOffset.UTC);
    private final InMemoryHistory history = new InMemoryHistory(Retention.defaults(), clock);
    private final Sampler sampler = new Sampler(new ClusterFigures(history, clock), clock);
    private final Figures stats = new Figures();
    private final Logger log = (Logger) LoggerFactory.getLogger(Sampler.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void listen() {
        lines.start();
        log.addAppender(lines);
    }

    @AfterEach
    void stop() {
        log.detachAppender(lines);
        sampler.close();
        history.close();
    }

    @Test
    void aFailingSampleIsLoggedOnceAndTheNextOnesStillCount() {
        stats.failing(true);
        tick();
        tick();
        assertThat(sampler.ring().newest()).isNull();
        assertThat(warnings()).isEqualTo(1);

        stats.failing(false);
        stats.set(1, 10, 10, 0);
        tick();
        stats.set(1, 30, 30, 0);
        tick();
        assertThat(sampler.ring().newest().inPerSecond()).isEqualTo(20);

        stats.failing(true);
        tick();
        assertThat(warnings())
                .as("a new failure after a success is logged again")
                .isEqualTo(2);
    }

    private void tick() {
        sampler.tick(stats);
        clock.advance(Duration.ofSeconds(1));
    }

    private long warnings() {
        return lines.list.stream().filter(line -> line.getLevel() == Level.WARN).count();
    }
}
