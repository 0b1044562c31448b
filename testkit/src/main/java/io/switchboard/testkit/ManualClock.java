/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import io.switchboard.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until the test moves it: with a {@link SteppedScheduler}, code
 * that reads the time and schedules itself is tested without waiting for real time. Thread-safe.
 */
public final class ManualClock extends Clock implements Ticker {

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    /** A clock showing {@code start} in {@code zone}. */
    public ManualClock(Instant start, ZoneId zone) {
        this(new AtomicReference<>(Objects.requireNonNull(start, "start")), zone);
    }

    private ManualClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** Sets the time. */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    /** Moves the time on by {@code step}. */
    public void advance(Duration step) {
        now.updateAndGet(current -> current.plus(step));
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** The same clock seen from another zone: moving either moves both. */
    @Override
    public Clock withZone(ZoneId other) {
        return new ManualClock(now, other);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    /** The same time as a monotonic reading: moves exactly as {@link #advance(Duration)} moves it. */
    @Override
    public long nanoTime() {
        Instant at = now.get();
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }
}
