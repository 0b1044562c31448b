/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.switchboard.testkit.Eventually;
import io.switchboard.testkit.RedisCluster;
import io.switchboard.testkit.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

    @Test
    void aRestartedPrimaryEndsOneOutageOnceItsConnectionsAreBack() throws Exception {
        try (RedisCluster cluster = RedisCluster.start(3, 0);
                RedisLink link = RedisLink.open(RedisSettings.of(cluster.uri()), "outage test")) {
            byte[] key = "{restart}".getBytes(StandardCharsets.UTF_8);
            // subscribed on the primary, so that its pub/sub connection shows there (flags=P) once back
            link.openPubSub(new RedisPubSubAdapter<>(), () -> {})
                    .async()
                    .ssubscribe(key)
                    .get(5, TimeUnit.SECONDS);
            RedisServer primary = cluster.ownerOf(SlotHash.getSlot(key));
            AtomicInteger backs = new AtomicInteger();
            List<CompletableFuture<String>> firstCalls = new CopyOnWriteArrayList<>();
            link.onReconnect(() -> {
                backs.incrementAndGet();
                firstCalls.add(
                        link.<String>call("set", redis -> redis.set(key, key)).toCompletableFuture());
            });

            primary.restart();

            Eventually.until("the outage over", Duration.ofSeconds(20), () -> backs.get() > 0);
            Eventually.until(
                    "the link and its pub/sub connection back on the restarted primary",
                    Duration.ofSeconds(20),
                    () -> link.available() && primary.cli("client", "list").contains("flags=P"));
            assertThat(backs.get()).as("outages ended").isEqualTo(1);
            // Back means our own connections to it are open: the first call made then reaches it (a
            // primary just started may still answer CLUSTERDOWN until it has met the others).
            assertThat(firstCalls
                            .getFirst()
                            .handle((ok, error) -> error == null ? ok : rootCause(error))
                            .get(5, TimeUnit.SECONDS))
                    .satisfiesAnyOf(answer -> assertThat(answer).isEqualTo("OK"), answer -> assertThat(answer)
                            .isInstanceOf(RedisCommandExecutionException.class));
        }
    }

    private static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String set(RedisLink link, byte[] key) throws Exception {
        return link.<String>call("set", redis -> redis.set(key, key))
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }
}
