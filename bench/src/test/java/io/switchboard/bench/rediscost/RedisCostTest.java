/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.rediscost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.switchboard.bench.client.Connector;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The redis-cost bench's counting, against a real redis-server: {@code INFO commandstats} parsed into
 * calls per command (without the bench's own INFO and CONFIG RESETSTAT), and the per-message and
 * per-join arithmetic over a real node and a handful of messages; on a three-primary Redis Cluster,
 * that a room message runs on one primary.
 */
class RedisCostTest {

    @Test
    void countsEachCommandSinceTheReset() throws Exception {
        try (RedisProcess redis = RedisProcess.start(null)) {
            redis.cli("SET", "before", "reset");
            redis.resetStats();
            for (int i = 0; i < 3; i++) {
                redis.cli("PUBLISH", "room", "m" + i);
            }
            redis.cli("SET", "k", "v");
            redis.cli("CLIENT", "SETNAME", "bench");

            CommandStats stats = redis.commandStats();

            assertThat(stats.calls()).isEqualTo(Map.of("PUBLISH", 3L, "SET", 1L, "CLIENT|SETNAME", 1L));
            // The bench's own reads are not counted, someone else's INFO is.
            assertThat(redis.commandStats()).isEqualTo(stats);
            redis.cli("INFO", "server");
            assertThat(redis.commandStats().calls()).containsEntry("INFO", 1L).hasSize(4);
            assertThat(stats.total()).isEqualTo(5);
            assertThat(stats.per(3)).containsEntry("PUBLISH", 1.0).containsEntry("CLIENT|SETNAME", 1.0 / 3);
            assertThat(stats.describePer(2)).isEqualTo("CLIENT|SETNAME 0.50, PUBLISH 1.50, SET 0.50, total 2.50");
        }
    }

    @Test
    void ignoresOtherSectionsAndRefusesZeroUnits() {
        CommandStats stats = CommandStats.parse("# Commandstats\r\ncmdstat_get:calls=7,usec=9,usec_per_call=1.29,"
                + "rejected_calls=0,failed_calls=0\r\nused_memory:100\r\n");

        assertThat(stats.calls()).isEqualTo(Map.of("GET", 7L));
        assertThatThrownBy(() -> stats.per(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dividesWhatAMessageAndAJoinCostByTheirNumber() throws Exception {
        try (RedisProcess redis = RedisProcess.start(null);
                Nodes nodes = Nodes.start(1, redis.uri(), null);
                Connector connector = new Connector(1)) {
            Room room = new Room(connector, nodes.handles(), "test");
            room.join(3, "member", true);

            Cost cost = Cost.measure(redis, room, 1, 4, 2, Set.of());

            assertThat(room.messages()).isGreaterThanOrEqualTo(2 * 4);
            // Every room message reaches the other nodes' subscribers through one PUBLISH at least.
            assertThat(cost.messageCommands().calls().get("PUBLISH")).isGreaterThanOrEqualTo(4);
            assertThat(cost.perMessage()).isCloseTo(cost.messageCommands().total() / 4.0, within(1e-9));
            assertThat(cost.joinCommands().total()).isPositive();
            assertThat(cost.perJoin()).isCloseTo(cost.joinCommands().total() / 2.0, within(1e-9));
            assertThat(cost.describe()).startsWith("nodes 1, members 3: per message ");
        }
    }

    @Test
    void aRoomMessageOnAClusterRunsOnTheOnePrimaryThatOwnsTheRoom() throws Exception {
        try (RedisCluster cluster = RedisCluster.start(3, null);
                Nodes nodes = Nodes.start(2, cluster.uri(), null);
                Connector connector = new Connector(1)) {
            Room room = new Room(connector, nodes.handles(), "test");
            room.join(4, "member", true);
            Set<String> background =
                    CommandStats.sum(Cost.idle(cluster, 2)).calls().keySet();

            Cost cost = Cost.measure(cluster, room, 2, 20, 2, background);

            // Sharded pub/sub: the message is stored and published on its room's slot, and nowhere else.
            assertThat(cost.primariesTouchedByMessages()).isEqualTo(1);
            assertThat(cost.messageCommands().calls()).doesNotContainKey("PUBLISH");
            assertThat(cost.messageCommands().calls().get("SPUBLISH")).isGreaterThanOrEqualTo(20);
            assertThat(cost.messagePerPrimary()).hasSize(3);
        }
    }
}
