/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.security.FailedAttempts;
import io.switchboard.testkit.Eventually;
import io.switchboard.testkit.ManualClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Failed attempts slow one address down, for a window, on a clock the test moves. */
class FailedAttemptsTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final FailedAttempts attempts = new FailedAttempts("test key", 5, Duration.ofMinutes(1), 3, clock);

    private void fail(String address, int times) {
        fail(attempts, address, times);
    }

    private static void fail(FailedAttempts attempts, String address, int times) {
        for (int i = 0; i < times; i++) {
            try (FailedAttempts.Attempt attempt = attempts.attempt(ip(address))) {
                assertThat(attempt.refused()).as("refused before the limit").isEmpty();
                attempt.failed();
            }
        }
    }

    private Optional<Duration> refused(String address) {
        try (FailedAttempts.Attempt attempt = attempts.attempt(ip(address))) {
            return attempt.refused();
        }
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void fiveFailuresWithinTheWindowRefuseTheAddressUntilTheWindowEnds() {
        fail("10.0.0.1", 4);
        assertThat(refused("10.0.0.1")).isEmpty();

        clock.advance(Duration.ofSeconds(20));
        fail("10.0.0.1", 1);
        assertThat(refused("10.0.0.1")).contains(Duration.ofSeconds(40));
        assertThat(refused("10.0.0.2")).isEmpty();

        clock.advance(Duration.ofSeconds(39).plusMillis(500));
        assertThat(refused("10.0.0.1")).contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofMillis(500));
        assertThat(refused("10.0.0.1")).isEmpty();
    }

    @Test
    void failuresSpreadOverMoreThanTheWindowAreNeverRefused() {
        fail("10.0.0.1", 4);
        clock.advance(Duration.ofMinutes(1));
        fail("10.0.0.1", 4);
        assertThat(refused("10.0.0.1")).isEmpty();
    }

    @Test
    void aSuccessDoesNotForgetTheFailuresOfItsAddress() {
        fail("10.0.0.1", 4);
        try (FailedAttempts.Attempt right = attempts.attempt(ip("10.0.0.1"))) {
            assertThat(right.refused()).isEmpty();
        } // settled without a failure: someone behind the same address knew the secret
        fail("10.0.0.1", 1);
        assertThat(refused("10.0.0.1"))
                .as("the guesser is not reset by another's success")
                .isPresent();
    }

    @Test
    void anIpv6AddressCountsAsItsSlash64() {
        fail("2001:db8:1:2::1", 3);
        fail("2001:db8:1:2:ffff:ffff:ffff:9", 2);
        assertThat(refused("2001:db8:1:2::77")).isPresent();
        assertThat(refused("2001:db8:1:3::1")).as("another /64").isEmpty();
        assertThat(refused("::ffff:10.0.0.9"))
                .as("an IPv4-mapped address is its IPv4 one")
                .isEmpty();
        fail("10.0.0.9", 5);
        assertThat(refused("::ffff:10.0.0.9")).isPresent();
    }

    @Test
    void parallelAttemptsFromOneAddressGetAtMostTheLimitOfChecks() throws Exception {
        FailedAttempts wide = new FailedAttempts("race key", 5, Duration.ofMinutes(1), 100, clock);
        int callers = 5 * 4;
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch arrived = new CountDownLatch(callers);
        AtomicInteger checked = new AtomicInteger();
        AtomicInteger refusedCount = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                await(start);
                arrived.countDown();
                try (FailedAttempts.Attempt attempt = wide.attempt(ip("10.0.0.1"))) {
                    if (attempt.refused().isPresent()) {
                        refusedCount.incrementAndGet();
                        return;
                    }
                    checked.incrementAndGet();
                    // Hold the wrong guess until every other caller has gone as far as it can: into
                    // its own check, or waiting at the gate. Without the reservation all would check.
                    await(arrived);
                    Eventually.until(
                            "the other callers to reach the gate", Duration.ofSeconds(10), () -> threads.stream()
                                    .filter(other -> other != Thread.currentThread())
                                    .allMatch(other -> other.getState() != Thread.State.RUNNABLE
                                            && other.getState() != Thread.State.NEW));
                    attempt.failed();
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(20));
        }
        assertThat(checked.get()).as("secrets checked").isEqualTo(5);
        assertThat(refusedCount.get()).isEqualTo(callers - 5);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theTableForgetsTheAddressLeastRecentlySeenPastItsCapacity() {
        fail("10.0.0.1", 5);
        fail("10.0.0.2", 5);
        fail("10.0.0.3", 5);
        assertThat(refused("10.0.0.2")).isPresent(); // 10.0.0.1 is now the least recently seen
        fail("10.0.0.4", 1);

        assertThat(attempts.remembered()).isEqualTo(3);
        assertThat(refused("10.0.0.1")).isEmpty();
        assertThat(refused("10.0.0.2")).isPresent();
        assertThat(refused("10.0.0.3")).isPresent();
    }

    @Test
    void aBlockedAddressIsLoggedOnceAndAFloodOfBlocksAtMostOnceASecond() {
        FailedAttempts wide = new FailedAttempts("flood key", 5, Duration.ofMinutes(1), 100, clock);
        try (LogCapture log = LogCapture.start()) {
            fail(wide, "10.0.0.1", 5);
            for (int address = 2; address <= 4; address++) {
                fail(wide, "10.0.0." + address, 5);
            }
            assertThat(log.linesWith("gave a wrong flood key")).hasSize(1);
            assertThat(log.linesWith("10.0.0.1 gave a wrong flood key 5 times within 60 s"))
                    .hasSize(1);

            clock.advance(Duration.ofSeconds(1));
            fail(wide, "10.0.0.5", 5);
            assertThat(log.linesWith(
                            "10.0.0.5 gave a wrong flood key", "(3 more addresses blocked since the last such line)"))
                    .hasSize(1);
        }
        assertThat(wide.remembered()).isEqualTo(5);
    }
}
