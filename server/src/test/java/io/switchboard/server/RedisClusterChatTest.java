/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import io.switchboard.testkit.RedisCluster;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link ClusterTest}'s chat nodes on a Redis Cluster of three primaries (real processes), through a
 * {@code redis-cluster://} URI, as the README's "On Redis Cluster" runs them.
 */
class RedisClusterChatTest extends ClusterTest {

    /** Replaces the standalone Redis of {@link ClusterTest}; its {@code stopRedis} closes this one. */
    @BeforeAll
    static void startRedis() throws Exception {
        RedisCluster cluster = RedisCluster.start(3, 0);
        use(cluster, cluster.uri());
    }
}
