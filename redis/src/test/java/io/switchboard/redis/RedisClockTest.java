/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The deadline a script carries leaves a margin before the node stops waiting, in Redis's time. */
class RedisClockTest {

    @Test
    void aDeadlineIsTheTimeoutLessAQuarterInRedisTime() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            RedisSettings settings = RedisSettings.of(redis.uri()).withCommandTimeout(Duration.ofMillis(1000));
            RedisLink link = RedisLink.open(settings, "clock test");
            try {
                RedisClock clock = new RedisClock(link, 1000);
                clock.read().toCompletableFuture().get(5, TimeUnit.SECONDS);
                long sent = System.currentTimeMillis();
                List<byte[]> time = link.call("time", commands -> commands.time())
                        .toCompletableFuture()
                        .get(5, TimeUnit.SECONDS);
                long answered = System.currentTimeMillis();
                long redisNow =
                        Long.parseLong(Keys.text(time.get(0))) * 1000 + Long.parseLong(Keys.text(time.get(1))) / 1000;

                assertThat(clock.margin()).isGreaterThanOrEqualTo(250);
                // Sent at `sent` (node time), the script must run by Redis's clock before the node gives
                // up at sent + 1000, less the margin; Redis's `now` was read no earlier than `sent`.
                long slack = answered - sent + 2;
                assertThat(clock.deadline(sent)).isLessThanOrEqualTo(redisNow + 1000 - 250 + slack);
            } finally {
                link.close();
            }
        }
    }
}
