/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the in-memory history forgets, when, and the memory it may take, on a clock the test moves. */
class InMemoryHistoryTest {

    private static final Duration TTL = Duration.ofHours(24);
    private static final String TEXT = "x".repeat(4000);

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final InstantSource clock = () -> now;

    private InMemoryHistory history(long maxBytes) {
        return new InMemoryHistory(new Retention(TTL, TTL, maxBytes), clock);
    }

    private static void append(History history, String stream, String text) {
        history.append(stream, id -> text, 50, entry -> {})
                .toCompletableFuture()
                .join();
    }

    private static List<History.Entry> latest(History history, String stream) {
        return history.latest(stream, 100).toCompletableFuture().join();
    }

    @Test
    void appendsRenewAStreamsTimeToLive() {
        InMemoryHistory history = history(64L << 20);
        append(history, "room", "a");
        now = now.plus(TTL.minusMinutes(1));
        append(history, "room", "b");
        now = now.plus(TTL.minusMinutes(1));
        assertThat(latest(history, "room")).hasSize(2);
        now = now.plus(Duration.ofMinutes(1));
        assertThat(latest(history, "room")).isEmpty();
    }

    @Test
    void readsDoNotRenewIt() {
        InMemoryHistory history = history(64L << 20);
        append(history, "room", "a");
        now = now.plus(TTL.minusMinutes(1));
        assertThat(latest(history, "room")).hasSize(1);
        history.since("room", 0).toCompletableFuture().join();
        now = now.plus(Duration.ofMinutes(1));
        assertThat(latest(history, "room")).isEmpty();
    }

    @Test
    void theSweepForgetsWhatNobodyTouchesAgain() {
        InMemoryHistory history = history(64L << 20);
        for (int i = 0; i < 100; i++) {
            append(history, "room" + i, TEXT);
            history.enqueue("user" + i, TEXT, 100).toCompletableFuture().join();
        }
        assertThat(history.keptCount()).isEqualTo(200);
        assertThat(history.keptBytes()).isGreaterThan(200L * 2 * TEXT.length());

        now = now.plus(TTL);
        history.sweep();
        assertThat(history.keptCount()).isZero();
        assertThat(history.keptBytes()).isZero();
    }

    @Test
    void theMemoryBudgetHoldsWhateverNamesClientsMakeUpAndForgetsTheLeastRecentlyWrittenFirst() {
        long budget = 4L << 20;
        InMemoryHistory history = history(budget);
        // 2,000 rooms x 50 messages of 4,000 characters: 800 MB at two bytes a character.
        for (int room = 0; room < 2000; room++) {
            for (int i = 0; i < 50; i++) {
                append(history, "room" + room, TEXT);
            }
            assertThat(history.keptBytes()).isLessThanOrEqualTo(budget);
        }
        for (int user = 0; user < 20_000; user++) {
            history.enqueue("user" + user, TEXT, 100).toCompletableFuture().join();
            assertThat(history.keptBytes()).isLessThanOrEqualTo(budget);
        }
        assertThat(latest(history, "room0")).isEmpty();
        assertThat(history.drain("user19999").toCompletableFuture().join()).containsExactly(TEXT);
        assertThat(history.drain("user0").toCompletableFuture().join()).isEmpty();
    }

    @Test
    void oneStreamLargerThanTheBudgetKeepsItsNewestWrite() {
        InMemoryHistory history = history(Retention.MIN_BYTES);
        String big = "y".repeat(300_000);
        for (int i = 0; i < 5; i++) {
            append(history, "room", big);
        }
        assertThat(latest(history, "room")).isNotEmpty();
        append(history, "other", "z");
        assertThat(latest(history, "other")).hasSize(1);
        assertThat(history.keptBytes()).isLessThanOrEqualTo(Retention.MIN_BYTES);
    }

    @Test
    void aSweepingHistoryForgetsOnItsOwn() throws Exception {
        InMemoryHistory history = InMemoryHistory.sweeping(
                new Retention(Duration.ofMillis(20), Duration.ofMillis(20), Retention.MIN_BYTES));
        try {
            append(history, "room", "a");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (history.keptCount() > 0 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            assertThat(history.keptCount()).isZero();
        } finally {
            history.close();
        }
    }

    @Test
    void theSweepRunsEveryHalfOfTheShorterTimeToLiveWithinBounds() {
        assertThat(InMemoryHistory.sweepInterval(Retention.defaults())).isEqualTo(Duration.ofMinutes(1));
        assertThat(InMemoryHistory.sweepInterval(
                        new Retention(Duration.ofSeconds(10), Duration.ofHours(1), Retention.MIN_BYTES)))
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(InMemoryHistory.sweepInterval(
                        new Retention(Duration.ofMillis(1), Duration.ofMillis(1), Retention.MIN_BYTES)))
                .isEqualTo(Duration.ofMillis(10));
    }
}
