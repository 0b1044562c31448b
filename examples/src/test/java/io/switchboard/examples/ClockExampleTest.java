/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.ClientEvent;
import io.switchboard.testkit.ManualClock;
import io.switchboard.testkit.SteppedScheduler;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code clock}: the time pushed every second as JSON, and a page on the same path that shows it. */
class ClockExampleTest {

    /** One message as the issue writes it: {"time":"YYYY.MM.DD HH:MM:SS"}. */
    private static final String TICK = "\\{\"time\":\"\\d{4}\\.\\d{2}\\.\\d{2} \\d{2}:\\d{2}:\\d{2}\"}";

    /** 2024-03-05 23:59:58 UTC is already the 6th in India (UTC+05:30): local time, not UTC. */
    private static final Instant START = Instant.parse("2024-03-05T23:59:58Z");

    private static final ZoneId ZONE = ZoneId.of("Asia/Kolkata");

    private final TestServer server = TestServer.start(builder -> Examples.configure("clock", builder));
    private ScheduledExecutorService ticker;

    @AfterEach
    void stop() throws InterruptedException {
        if (ticker != null) {
            ticker.shutdownNow();
            assertThat(ticker.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        server.close();
    }

    /** A clock one second further on each time it is read, so each tick shows the next second. */
    static final class SteppingClock extends Clock {
        private final AtomicLong reads = new AtomicLong();

        @Override
        public ZoneId getZone() {
            return ZONE;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return START.plusSeconds(reads.getAndIncrement());
        }
    }

    /**
     * A watcher the server does not check for unread events when it closes: the ticks never stop, so
     * one may always arrive between the last one a test reads and the end of the test.
     */
    private TestClient watch() {
        return TestClient.connect(server.ws("/ws/clock"));
    }

    @Test
    void watchersGetTheLocalTimeAboutOnceASecond() {
        try (TestClient first = watch();
                TestClient second = watch()) {
            long started = System.nanoTime();

            ticker = ClockExample.startTicker(server.server().hub(), new SteppingClock());

            for (String expected : new String[] {"2024.03.06 05:29:58", "2024.03.06 05:29:59", "2024.03.06 05:30:00"}) {
                String tick = first.expectText();
                assertThat(tick).matches(TICK).isEqualTo("{\"time\":\"" + expected + "\"}");
                assertThat(second.expectText())
                        .as("every watcher sees the same tick")
                        .isEqualTo(tick);
            }
            // Ticks 0, 1 and 2 are due 0, 1 and 2 seconds after the start; none may come early.
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(elapsedMillis).as("three ticks take two periods").isGreaterThanOrEqualTo(1_500);
        }
    }

    @Test
    void aLateTickIsFollowedByOneTickOnTheNextSecondNotABurst() throws InterruptedException {
        ManualClock clock = new ManualClock(START.plusMillis(250), ZONE);
        SteppedScheduler scheduler = new SteppedScheduler();
        try (TestClient watcher = watch()) {
            ClockExample.startTicker(server.server().hub(), clock, scheduler);

            SteppedScheduler.Scheduled first = scheduler.next();
            assertThat(first.millis()).as("the first tick at once").isZero();
            first.task().run();
            assertThat(watcher.expectText()).isEqualTo("{\"time\":\"2024.03.06 05:29:58\"}");

            SteppedScheduler.Scheduled second = scheduler.next();
            assertThat(second.millis())
                    .as("the next tick on the next whole second")
                    .isEqualTo(750);
            clock.set(START.plusMillis(5_300)); // it runs 4.55 s late: the machine was busy
            second.task().run();
            assertThat(watcher.expectText()).isEqualTo("{\"time\":\"2024.03.06 05:30:03\"}");

            assertThat(scheduler.next().millis())
                    .as("then on the next second again")
                    .isEqualTo(700);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void theFormatIsTheServersLocalTime() {
        Clock fixed = Clock.fixed(START, ZONE);

        assertThat(LocalDateTime.now(fixed).format(ClockExample.FORMAT)).isEqualTo("2024.03.06 05:29:58");
        assertThat(LocalDateTime.of(2024, 1, 2, 3, 4, 5).format(ClockExample.FORMAT))
                .as("two digits everywhere, 24-hour clock")
                .isEqualTo("2024.01.02 03:04:05");
        assertThat(LocalDateTime.of(2024, 12, 31, 23, 59, 59).format(ClockExample.FORMAT))
                .isEqualTo("2024.12.31 23:59:59");
    }

    @Test
    void whatAWatcherSaysIsIgnoredAndOneLeavingDoesNotStopTheOthers() {
        try (TestClient leaving = watch();
                TestClient staying = watch()) {
            ticker = ClockExample.startTicker(server.server().hub(), Clock.system(ZONE));

            assertThat(leaving.expectText()).matches(TICK);
            assertThat(staying.expectText()).matches(TICK);
            leaving.sendText("hello, clock");
            leaving.sendClose(1000, "");
            ClientEvent last;
            while ((last = leaving.nextEvent()) instanceof ClientEvent.Text tick) {
                assertThat(tick.text())
                        .as("a tick sent before the close arrived")
                        .matches(TICK);
            }
            assertThat(last).isEqualTo(new ClientEvent.Closed(1000, ""));

            assertThat(staying.expectText()).as("the next tick").matches(TICK);
        }
    }

    @Test
    void aPlainGetOnTheSamePathIsAPageWhoseScriptOpensTheSocket() {
        HttpResponse<String> page = server.get("/ws/clock");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.body())
                .startsWith("<!doctype html>")
                .contains("<script>")
                .contains("new WebSocket(location.href.replace(/^http/, \"ws\"))")
                .contains("JSON.parse(event.data).time");
    }
}
