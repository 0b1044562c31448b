/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.settings.RateLimit;
import org.junit.jupiter.api.Test;

/** The token bucket behind the rate limit, on a clock the test moves. */
class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    private static int taken(TokenBucket bucket, long now, int tries) {
        int taken = 0;
        for (int i = 0; i < tries; i++) {
            if (bucket.take(now)) {
                taken++;
            }
        }
        return taken;
    }

    @Test
    void aFullBucketGivesItsBurstAtOnceThenRefillsAtTheRate() {
        TokenBucket bucket = new TokenBucket(RateLimit.of(10, 20), 0);
        assertThat(taken(bucket, 0, 50)).isEqualTo(20);
        assertThat(bucket.take(SECOND / 20)).isFalse(); // half a token
        assertThat(bucket.take(SECOND / 10)).isTrue(); // one token
        assertThat(taken(bucket, SECOND / 10 + SECOND, 50)).isEqualTo(10);
    }

    @Test
    void aLongQuietSpellRefillsOnlyUpToTheBurst() {
        TokenBucket bucket = new TokenBucket(RateLimit.of(10, 20), 0);
        taken(bucket, 0, 20);
        assertThat(taken(bucket, 3600 * SECOND, 100)).isEqualTo(20);
    }

    @Test
    void aSteadySenderAtTheRateIsNeverRefused() {
        TokenBucket bucket = new TokenBucket(RateLimit.of(100, 1), 0);
        for (int i = 0; i < 1000; i++) {
            assertThat(bucket.take(i * SECOND / 100)).as("message %d", i).isTrue();
        }
    }

    @Test
    void anOffLimitNeverRefuses() {
        TokenBucket bucket = new TokenBucket(RateLimit.OFF, 0);
        assertThat(taken(bucket, 0, 100_000)).isEqualTo(100_000);
    }
}
