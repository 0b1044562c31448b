/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.switchboard.testkit.RedisCluster;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link RedisHistoryContractTest} on a Redis Cluster of three primaries with a replica each (real processes), through
 * a {@code redis-cluster://} URI: every call routed by slot, room traffic over sharded pub/sub.
 */
class RedisClusterHistoryContractTest extends RedisHistoryContractTest {

    /** Replaces the standalone fixture of {@link RedisHistoryContractTest}; its {@code stopRedis} closes this one. */
    @BeforeAll
    static void startRedis() throws Exception {
        RedisCluster cluster = RedisCluster.start(3, 1);
        redis.use(cluster, cluster.uri());
    }
}
