/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.switchboard.testkit.Eventually;
import io.switchboard.testkit.RedisCluster;
import io.switchboard.testkit.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@link Subscriptions} on a Redis Cluster of three primaries: a group's channel is subscribed on
 * the primary that serves its slot, and stays subscribed when that slot migrates and when its
 * primary is killed and a replica takes over, and a killed primary back as a replica delivers
 * nothing a second time. One cluster serves the tests in order (the failover
 * comes last), as starting one takes seconds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterPubSubTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static RedisCluster cluster;
    private static RedisLink link;
    private static Subscriptions subscriptions;
    private static final Keys KEYS = new Keys("pubsub:", 0, true);
    private static final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    /** One group whose channel lives on each primary, in the order of the primaries at the start. */
    private static final List<String> groups = new ArrayList<>();
    /** The primary the failover test killed, brought back by the test after it. */
    private static RedisServer killedPrimary;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start(3, 1);
        link = RedisLink.open(RedisSettings.of(cluster.uri()).withPrefix("pubsub:"), "pub/sub test");
        // As the engine's liveness does: a failed subscription is repaired by subscribing everything again.
        Runnable repair = () -> CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS)
                .execute(() -> subscriptions.resubscribe(groups));
        subscriptions = new Subscriptions(link, KEYS, "node-1", new Received(), repair);
        for (RedisServer primary : cluster.primaries()) {
            groups.add(groupOn(primary));
        }
    }

    @AfterAll
    static void stop() {
        if (subscriptions != null) {
            subscriptions.close();
        }
        if (link != null) {
            link.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aShardedSubscriptionHearsEachPrimarysChannels() throws Exception {
        subscriptions.listenToNode().toCompletableFuture().get(5, TimeUnit.SECONDS);
        for (String group : groups) {
            subscriptions.subscribe(group).get(5, TimeUnit.SECONDS);
        }
        for (String group : groups) {
            assertHeard(group, "hello " + group);
        }
        assertThat(cluster.cli(owner(KEYS.nodeChannel("node-1")), "spublish", text(KEYS.nodeChannel("node-1")), "x")
                        .strip())
                .isEqualTo("1");
        assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(text(KEYS.nodeChannel("node-1")) + "=x");
    }

    @Test
    @Order(2)
    void aChannelFollowsItsSlotToAnotherPrimary() throws Exception {
        String group = groups.getFirst();
        int slot = SlotHash.getSlot(KEYS.groupChannel(group));
        RedisServer from = cluster.ownerOf(slot);
        RedisServer to =
                cluster.primaries().stream().filter(p -> p != from).findFirst().orElseThrow();

        cluster.migrateSlot(slot, to);

        assertHeard(group, "after the migration");
    }

    @Test
    @Order(3)
    void aChannelFollowsItsSlotToAPromotedReplica() throws Exception {
        String group = groups.getLast();
        RedisServer primary = owner(KEYS.groupChannel(group));
        killedPrimary = primary;

        cluster.kill(primary);
        Eventually.until("the link down while a primary is lost", WAIT, link::down);
        assertThat(link.available()).isFalse();
        RedisServer promoted = cluster.awaitPromotion(primary);

        assertThat(owner(KEYS.groupChannel(group))).isSameAs(promoted);
        assertHeard(group, "after the failover");
        Eventually.until("the link available again", WAIT, link::available);
    }

    @Test
    @Order(4)
    void aKilledPrimaryBackAsAReplicaDeliversNothingTwice() throws Exception {
        String group = groups.getLast(); // its primary was killed and failed over in the test before
        String channel = text(KEYS.groupChannel(group));
        RedisServer old = killedPrimary;

        cluster.revive(old);
        cluster.awaitReplica(old);
        // Lettuce's connection to the old primary reconnects and subscribes its channels there again...
        Eventually.until(
                "the pub/sub connection back on the old primary", WAIT, () -> cluster.cli(old, "client", "list")
                        .lines()
                        .anyMatch(client -> client.contains("cmd=ssubscribe") || client.contains("cmd=sunsubscribe")));
        // ...and the link unsubscribes them, as the old primary no longer serves their slot.
        Eventually.until(channel + " unsubscribed on the old primary", WAIT, () -> cluster.cli(
                        old, "pubsub", "shardnumsub", channel)
                .lines()
                .toList()
                .equals(List.of(channel, "0")));

        assertHeard(group, "once");
        assertThat(received.poll(1, TimeUnit.SECONDS)).as("a second delivery").isNull();
    }

    /** Waits until the channel's owner counts this node as its subscriber, publishes there, and expects it heard. */
    private static void assertHeard(String group, String message) throws InterruptedException {
        String channel = text(KEYS.groupChannel(group));
        Eventually.until(channel + " subscribed on the primary of its slot", WAIT, () -> cluster.cli(
                        owner(KEYS.groupChannel(group)), "pubsub", "shardnumsub", channel)
                .lines()
                .toList()
                .equals(List.of(channel, "1")));
        assertThat(cluster.cli(owner(KEYS.groupChannel(group)), "spublish", channel, message)
                        .strip())
                .isEqualTo("1");
        assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(channel + "=" + message);
    }

    private static String groupOn(RedisServer primary) {
        for (int i = 0; ; i++) {
            String group = "group-" + i;
            if (owner(KEYS.groupChannel(group)) == primary && !groups.contains(group)) {
                return group;
            }
        }
    }

    private static RedisServer owner(byte[] channel) {
        return cluster.ownerOf(SlotHash.getSlot(channel));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Queues every sharded message as {@code channel=message}. */
    private static final class Received extends RedisPubSubAdapter<byte[], byte[]> {
        @Override
        public void smessage(byte[] channel, byte[] message) {
            received.add(text(channel) + "=" + text(message));
        }
    }
}
