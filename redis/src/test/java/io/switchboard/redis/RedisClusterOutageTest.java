/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.cluster.SlotHash;
import io.switchboard.testkit.Eventually;
import io.switchboard.testkit.RedisCluster;
import io.switchboard.testkit.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One primary of a Redis Cluster that hangs makes the link hung, as one Redis that hangs does: the
 * command routed to it times out, every call then fails at once, and the link is available again
 * once every primary answers the probe.
 */
class RedisClusterOutageTest {

    @Test
    void aHangingPrimaryMakesTheLinkHungUntilItAnswers() throws Exception {
        try (RedisCluster cluster = RedisCluster.start(3, 0);
                RedisLink link = RedisLink.open(
                        RedisSettings.of(cluster.uri()).withCommandTimeout(Duration.ofMillis(300)), "outage test")) {
            byte[] key = "{outage}".getBytes(StandardCharsets.UTF_8);
            RedisServer primary = cluster.ownerOf(SlotHash.getSlot(key));
            assertThat(set(link, key)).isEqualTo("OK");

            primary.freeze();
            try {
                assertThatThrownBy(() -> set(link, key)).hasRootCauseInstanceOf(RedisCommandTimeoutException.class);
                assertThat(link.hung()).isTrue();
                assertThat(link.available()).isFalse();
            } finally {
                primary.unfreeze();
            }

            Eventually.until(
                    "the link answering again", Duration.ofSeconds(20), () -> !link.hung() && link.available());
            Eventually.until(
                    "the cluster ok again", Duration.ofSeconds(20), () -> cluster.cli(primary, "cluster", "info")
                            .contains("cluster_state:ok"));
            assertThat(set(link, key)).isEqualTo("OK");
        }
    }

    @Test
    void aPrimaryFailedOverWhileHungHoldsTheLinkNoLonger() throws Exception {
        try (RedisCluster cluster = RedisCluster.start(3, 1);
                RedisLink link = RedisLink.open(
                        RedisSettings.of(cluster.uri()).withCommandTimeout(Duration.ofMillis(300)), "outage test")) {
            byte[] key = "{failover}".getBytes(StandardCharsets.UTF_8);
            RedisServer primary = cluster.ownerOf(SlotHash.getSlot(key));
            assertThat(set(link, key)).isEqualTo("OK");

            cluster.freeze(primary);
            try {
                assertThatThrownBy(() -> set(link, key)).hasRootCauseInstanceOf(RedisCommandTimeoutException.class);
                assertThat(link.hung()).isTrue();
                cluster.awaitPromotion(primary);
                // The old primary stays frozen: the probe must stop waiting for it once its replica serves.
                // Lettuce sees the new layout late, as its refresh waits for the frozen node's answer
                // up to the connect timeout; before the fix the link stayed hung for good.
                Eventually.until(
                        "the link answering with the old primary still frozen",
                        Duration.ofSeconds(15),
                        () -> !link.hung() && link.available());
                assertThat(set(link, key)).isEqualTo("OK");
            } finally {
                cluster.revive(primary);
            }
        }
    }

    private static String set(RedisLink link, byte[] key) throws Exception {
        return link.<String>call("set", redis -> redis.set(key, key))
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }
}
