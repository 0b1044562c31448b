/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.rediscost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The redis-cost bench's Redis Cluster, against real redis-server processes: three primaries joined
 * into one healthy cluster, each primary's commands counted on their own, and the arithmetic that
 * says how many primaries a message touched.
 */
class RedisClusterTest {

    @Test
    void joinsThePrimariesIntoOneClusterThatCoversEverySlot() throws Exception {
        try (RedisCluster cluster = RedisCluster.start(3, null)) {
            assertThat(cluster.primaries()).hasSize(3);
            assertThat(cluster.uri()).matches("redis-cluster://127\\.0\\.0\\.1:\\d+(,127\\.0\\.0\\.1:\\d+){2}");
            for (RedisProcess primary : cluster.primaries()) {
                List<String> info = List.of(primary.cli("CLUSTER", "INFO").split("\r?\n"));
                assertThat(info).contains("cluster_state:ok", "cluster_slots_assigned:16384", "cluster_size:3");
            }
        }
    }

    @Test
    void countsACommandOnlyOnThePrimaryThatOwnsItsSlot() throws Exception {
        try (RedisCluster cluster = RedisCluster.start(3, null)) {
            cluster.resetStats();
            // Sent to every primary: the two that do not own the slot refuse it (MOVED) without running it.
            for (RedisProcess primary : cluster.primaries()) {
                primary.cli("SPUBLISH", "{room:lobby}", "hello");
            }

            List<CommandStats> perPrimary = cluster.statsPerPrimary();

            assertThat(perPrimary).filteredOn(stats -> stats.total() > 0).hasSize(1);
            assertThat(cluster.commandStats().calls()).isEqualTo(Map.of("SPUBLISH", 1L));
            assertThat(Cost.touched(perPrimary, 1)).isEqualTo(1);
        }
    }

    @Test
    void refusesFewerPrimariesThanRedisCliCanJoin() {
        assertThatThrownBy(() -> RedisCluster.start(2, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--cluster 2: redis-cli --cluster create needs at least 3 primaries"
                        + " (0 runs one standalone Redis)");
    }

    @Test
    void aPrimaryIsTouchedWhenItRanACommandOfWorkPerTwoUnitsOrMore() {
        CommandStats busy = new CommandStats(Map.of("EVALSHA", 100L, "SPUBLISH", 100L));
        CommandStats ticks = new CommandStats(Map.of("SPUBLISH", 3L));
        CommandStats half = new CommandStats(Map.of("HSET", 50L));
        CommandStats layoutOnly = new CommandStats(Map.of("CLUSTER|NODES", 60L, "HELLO", 60L, "CLIENT|SETNAME", 60L));

        assertThat(Cost.touched(List.of(busy, ticks, new CommandStats(Map.of())), 100))
                .isEqualTo(1);
        assertThat(Cost.touched(List.of(busy, ticks, half), 100)).isEqualTo(2);
        assertThat(Cost.touched(List.of(busy, layoutOnly, ticks), 100)).isEqualTo(1);
        assertThat(CommandStats.sum(List.of(busy, ticks, half)).calls())
                .isEqualTo(Map.of("EVALSHA", 100L, "SPUBLISH", 103L, "HSET", 50L));
    }

    @Test
    void upkeepIsTheClientsConnectionAndLayoutCommands() {
        CommandStats stats = new CommandStats(Map.of(
                "EVALSHA",
                5L,
                "CLUSTER|NODES",
                2L,
                "HELLO",
                2L,
                "CLIENT|SETNAME",
                2L,
                "INFO",
                2L,
                "PING",
                1L,
                "GET",
                3L));

        assertThat(stats.withoutUpkeep().calls()).isEqualTo(Map.of("EVALSHA", 5L, "GET", 3L));
        assertThat(stats.upkeepTotal()).isEqualTo(9);
        assertThat(stats.total()).isEqualTo(17);
        assertThat(stats.withoutUpkeep()
                        .without(java.util.Set.of("GET", "SPUBLISH"))
                        .calls())
                .isEqualTo(Map.of("EVALSHA", 5L));
    }
}
