/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polling until a state is reached, for states that emit no event to wait on: a probe's HTTP status,
 * a scrape's figures, a thread's state, a flag a client library keeps. Where something can record an
 * event (a {@link Recorder}, a future, a latch), wait on that instead: a poll is slower and proves less.
 * The pace between polls only spares the CPU; the timeout alone decides when to give up.
 */
public final class Eventually {

    /** How long between two polls. */
    private static final long PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private Eventually() {}

    /** Polls {@code condition} until it holds; fails naming {@code what} after {@code timeout}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        Objects.requireNonNull(condition, "condition");
        until(what, timeout, condition::getAsBoolean, held -> held);
    }

    /**
     * Polls {@code probe} until {@code done} accepts what it yields, and returns that; fails naming
     * {@code what} and the last value after {@code timeout}. A probe that throws fails at once.
     */
    public static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<? super T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T last = probe.get();
            if (done.test(last)) {
                return last;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(
                        "waited " + timeout.toMillis() + " ms for " + what + " in vain; last seen: " + last);
            }
            LockSupport.parkNanos(PACE_NANOS);
        }
    }
}
