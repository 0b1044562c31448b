/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The multi-primary fixture is a real Redis Cluster: three primaries share the slots, each with a
 * replica; a slot migrates with its keys; a killed primary's replica takes over. One cluster serves
 * the tests in order (the failover comes last), as starting one takes seconds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterTest {

    private static RedisCluster cluster;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start(3, 1);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void threePrimariesShareEverySlotEachWithAReplica() {
        List<RedisServer> primaries = cluster.primaries();
        assertThat(primaries).hasSize(3);
        for (RedisServer primary : primaries) {
            assertThat(cluster.cli(primary, "cluster", "info"))
                    .contains("cluster_state:ok", "cluster_slots_assigned:16384");
            RedisServer replica = cluster.replicaOf(primary);
            assertThat(replica).isNotIn(primaries);
            assertThat(cluster.cli(replica, "role")).startsWith("slave");
        }
        assertThat(cluster.uri()).startsWith("redis-cluster://127.0.0.1:").contains(",");
    }

    @Test
    @Order(2)
    void aMigratedSlotTakesItsKeysAlong() {
        int slot = cluster.slotOf("{fixture}a");
        RedisServer from = cluster.ownerOf(slot);
        RedisServer to =
                cluster.primaries().stream().filter(p -> p != from).findFirst().orElseThrow();
        cluster.cli(from, "set", "{fixture}a", "1");
        cluster.cli(from, "set", "{fixture}b", "2");

        cluster.migrateSlot(slot, to);

        assertThat(cluster.ownerOf(slot)).isSameAs(to);
        assertThat(cluster.cli(to, "mget", "{fixture}a", "{fixture}b").lines()).containsExactly("1", "2");
        assertThat(cluster.cli(from, "get", "{fixture}a")).contains("MOVED " + slot);
    }

    @Test
    @Order(3)
    void aKilledPrimarysReplicaTakesOver() {
        RedisServer primary = cluster.primaries().getFirst();
        RedisServer replica = cluster.replicaOf(primary);

        cluster.kill(primary);
        RedisServer promoted = cluster.awaitPromotion(primary);

        assertThat(promoted).isSameAs(replica);
        assertThat(cluster.primaries()).hasSize(3).doesNotContain(primary);
        assertThat(cluster.cli(promoted, "cluster", "info")).contains("cluster_state:ok");
    }
}
