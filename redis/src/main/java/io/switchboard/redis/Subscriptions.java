/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link RedisEngine}'s pub/sub connection: this node's own channel, and the channel of each
 * group it has members in. A subscription that fails is repaired by {@code onFailure} (the liveness
 * resubscribes everything shortly); a hung Redis never holds a join up.
 *
 * <p>On a Redis Cluster ({@link Keys#sharded()}) the channels are sharded ({@code SSUBSCRIBE}): each
 * lives on the primary that serves its slot, and Lettuce sends each subscription there. When a slot
 * moves (a migration, a failover) Redis drops its subscribers with a {@code sunsubscribe} of its own;
 * a channel still wanted is then subscribed again, which Lettuce sends to the slot's new primary.
 *
 * <p>Thread-safe; the engine orders subscribe and unsubscribe with its joins and leaves.
 */
final class Subscriptions {

    private final RedisLink link;
    private final Keys keys;
    private final String nodeId;
    private final Runnable onFailure;
    private final StatefulRedisPubSubConnection<byte[], byte[]> pubsub;
    /** The channels this node listens on (wrapped for equality), to tell a dropped one from one it left. */
    private final Set<ByteBuffer> wanted = ConcurrentHashMap.newKeySet();

    /** Opens the connection, delivering to {@code inbox}; {@code onFailure} also runs after each reconnect. */
    Subscriptions(
            RedisLink link, Keys keys, String nodeId, RedisPubSubListener<byte[], byte[]> inbox, Runnable onFailure) {
        this.link = link;
        this.keys = keys;
        this.nodeId = nodeId;
        this.onFailure = onFailure;
        this.pubsub = link.openPubSub(inbox, onFailure);
        if (keys.sharded()) {
            pubsub.addListener(new Dropped());
        }
    }

    /** Listens on this node's own channel (addresses and users on it). */
    CompletionStage<Void> listenToNode() {
        return link.observe("subscribe", () -> listen(keys.nodeChannel(nodeId)));
    }

    /** Listens on {@code group}'s channel; done at once when Redis is hung (the join goes on without it). */
    CompletableFuture<Void> subscribe(String group) {
        CompletableFuture<Void> done = link.<Void>observe("subscribe", () -> listen(keys.groupChannel(group)))
                .toCompletableFuture()
                .handle((ok, error) -> {
                    if (error != null) {
                        onFailure.run();
                    }
                    return null;
                });
        // A hung Redis answers late or never: the join goes on (serving local traffic) without it.
        return link.hung() ? CompletableFuture.completedFuture(null) : done;
    }

    /** Stops listening on {@code group}'s channel, at most once (a failure is repaired by the next resubscribe). */
    void unsubscribe(String group) {
        byte[] channel = keys.groupChannel(group);
        wanted.remove(ByteBuffer.wrap(channel));
        link.<Void>observe(
                        "unsubscribe",
                        () -> keys.sharded()
                                ? pubsub.async().sunsubscribe(channel)
                                : pubsub.async().unsubscribe(channel))
                .exceptionally(e -> null);
    }

    /** Subscribes again to this node's channel and to every group in {@code groups}. */
    CompletionStage<Void> resubscribe(Collection<String> groups) {
        List<byte[]> channels = new ArrayList<>();
        channels.add(keys.nodeChannel(nodeId));
        groups.forEach(group -> channels.add(keys.groupChannel(group)));
        return link.observe("subscribe", () -> listen(channels.toArray(byte[][]::new)));
    }

    private CompletionStage<Void> listen(byte[]... channels) {
        for (byte[] channel : channels) {
            wanted.add(ByteBuffer.wrap(channel));
        }
        if (!(pubsub instanceof StatefulRedisClusterPubSubConnection<byte[], byte[]> cluster)) {
            return pubsub.async().subscribe(channels);
        }
        // One command per channel: each goes to the primary of its own slot.
        return CompletableFuture.allOf(Arrays.stream(channels)
                .map(channel -> shardedListen(cluster, channel))
                .toArray(CompletableFuture<?>[]::new));
    }

    /**
     * Subscribes to a sharded channel once the connection to its slot's primary is open: Lettuce opens
     * one on first use, and refuses a command sent while it is still opening (nothing is queued).
     */
    private static CompletableFuture<Void> shardedListen(
            StatefulRedisClusterPubSubConnection<byte[], byte[]> cluster, byte[] channel) {
        RedisClusterNode owner = cluster.getPartitions().getMasterBySlot(SlotHash.getSlot(channel));
        if (owner == null) {
            return CompletableFuture.failedFuture(
                    new RedisException("no primary serves the slot of " + Keys.text(channel) + " now"));
        }
        return cluster.getConnectionAsync(
                        owner.getUri().getHost(), owner.getUri().getPort())
                .thenCompose(open -> cluster.async().ssubscribe(channel).toCompletableFuture());
    }

    void close() {
        RedisLink.closeQuietly(pubsub);
    }

    /** Subscribes again to a channel Redis dropped (its slot moved) while this node still wants it. */
    private final class Dropped extends RedisPubSubAdapter<byte[], byte[]> {
        @Override
        public void sunsubscribed(byte[] channel, long count) {
            if (wanted.contains(ByteBuffer.wrap(channel))) {
                link.<Void>observe("subscribe", () -> listen(channel)).exceptionally(error -> {
                    onFailure.run();
                    return null;
                });
            }
        }
    }
}
