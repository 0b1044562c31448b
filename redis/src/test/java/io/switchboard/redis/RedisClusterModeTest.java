/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.RedisServer;
import org.junit.jupiter.api.Test;

/** The cluster-mode fixture is a real cluster: it serves every slot and refuses keys of several slots. */
class RedisClusterModeTest {

    @Test
    void servesEverySlotAndRefusesCrossSlotKeys() {
        try (RedisServer redis = RedisServer.startCluster()) {
            assertThat(redis.cli("cluster", "info")).contains("cluster_state:ok", "cluster_slots_assigned:16384");
            String script = "redis.call('SET', KEYS[1], 1); return redis.call('SET', KEYS[2], 1)";
            assertThat(redis.cli("eval", script, "2", "{room}a", "{room}b")).contains("OK");
            assertThat(redis.cli("eval", script, "2", "a", "b")).contains("CROSSSLOT");
        }
    }
}
