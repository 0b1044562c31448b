/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.security.FailedAttempts;
import io.switchboard.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Failed attempts slow one address down, for a window, on a clock the test moves. */
class FailedAttemptsTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final FailedAttempts attempts = new FailedAttempts("test key", 5, Duration.ofMinutes(1), 3, clock);

    private void fail(String address, int times) {
        for (int i = 0; i < times; i++) {
            attempts.failed(address);
        }
    }

    @Test
    void fiveFailuresWithinTheWindowRefuseTheAddressUntilTheWindowEnds() {
        fail("10.0.0.1", 4);
        assertThat(attempts.refused("10.0.0.1")).isEmpty();

        clock.advance(Duration.ofSeconds(20));
        attempts.failed("10.0.0.1");
        assertThat(attempts.refused("10.0.0.1")).contains(Duration.ofSeconds(40));
        assertThat(attempts.refused("10.0.0.2")).isEmpty();

        clock.advance(Duration.ofSeconds(39).plusMillis(500));
        assertThat(attempts.refused("10.0.0.1")).contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofMillis(500));
        assertThat(attempts.refused("10.0.0.1")).isEmpty();
    }

    @Test
    void failuresSpreadOverMoreThanTheWindowAreNeverRefused() {
        fail("10.0.0.1", 4);
        clock.advance(Duration.ofMinutes(1));
        fail("10.0.0.1", 4);
        assertThat(attempts.refused("10.0.0.1")).isEmpty();
    }

    @Test
    void aSuccessForgetsTheFailures() {
        fail("10.0.0.1", 4);
        attempts.succeeded("10.0.0.1");
        attempts.failed("10.0.0.1");
        assertThat(attempts.refused("10.0.0.1")).isEmpty();
    }

    @Test
    void theTableForgetsTheAddressLeastRecentlySeenPastItsCapacity() {
        fail("10.0.0.1", 5);
        fail("10.0.0.2", 5);
        fail("10.0.0.3", 5);
        assertThat(attempts.refused("10.0.0.2")).isPresent(); // 10.0.0.1 is now the least recently seen
        attempts.failed("10.0.0.4");

        assertThat(attempts.remembered()).isEqualTo(3);
        assertThat(attempts.refused("10.0.0.1")).isEmpty();
        assertThat(attempts.refused("10.0.0.2")).isPresent();
        assertThat(attempts.refused("10.0.0.3")).isPresent();
    }

    @Test
    void aBlockedAddressIsLoggedOnceAndAFloodOfBlocksAtMostOnceASecond() {
        FailedAttempts wide = new FailedAttempts("flood key", 5, Duration.ofMinutes(1), 100, clock);
        try (LogCapture log = LogCapture.start()) {
            for (int i = 0; i < 8; i++) {
                wide.failed("10.0.0.1");
            }
            for (int address = 2; address <= 4; address++) {
                for (int i = 0; i < 5; i++) {
                    wide.failed("10.0.0." + address);
                }
            }
            assertThat(log.linesWith("gave a wrong flood key")).hasSize(1);
            assertThat(log.linesWith("10.0.0.1 gave a wrong flood key 5 times within 60 s"))
                    .hasSize(1);

            clock.advance(Duration.ofSeconds(1));
            for (int i = 0; i < 5; i++) {
                wide.failed("10.0.0.5");
            }
            assertThat(log.linesWith(
                            "10.0.0.5 gave a wrong flood key", "(3 more addresses blocked since the last such line)"))
                    .hasSize(1);
        }
        assertThat(wide.remembered()).isEqualTo(5);
    }
}
