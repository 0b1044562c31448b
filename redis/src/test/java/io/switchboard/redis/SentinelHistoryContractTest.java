/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.switchboard.testkit.RedisSentinelSetup;
import org.junit.jupiter.api.BeforeAll;

/** The history contract (with its expiry tests), held against the Redis history that finds its primary through Redis Sentinel. */
class SentinelHistoryContractTest extends RedisHistoryContractTest {

    /** Replaces the standalone fixture of {@link RedisHistoryContractTest}: a primary, a replica and three sentinels. */
    @BeforeAll
    static void startRedis() throws Exception {
        RedisSentinelSetup setup = RedisSentinelSetup.start();
        redis.use(setup, setup.uri());
    }
}
