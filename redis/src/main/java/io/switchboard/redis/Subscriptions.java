/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
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
import java.util.concurrent.TimeUnit;

/**
 * The {@link RedisEngine}'s pub/sub connection: this node's own channel, and the channel of each
 * group it has members in. A subscription that fails is repaired: on one Redis by {@code onFailure}
 * (the liveness resubscribes everything shortly), on a cluster by trying that channel again with
 * backoff. A hung Redis never holds a join up.
 *
 * <p>On a Redis Cluster ({@link Keys#sharded()}) the channels are sharded ({@code SSUBSCRIBE}): each
 * lives on the primary that serves its slot, and Lettuce sends each subscription there. When a slot
 * moves (a migration, a failover) Redis drops its subscribers with a {@code sunsubscribe} of its own;
 * a channel still wanted is then subscribed again, which Lettuce sends to the slot's new primary.
 * A layout change subscribes again only the channels whose slot has a new primary, and unsubscribes
 * them where they were (see {@link ShardedChannels}).
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
    /** On a cluster: where each channel is subscribed; {@code null} on one Redis. */
    private final ShardedChannels sharded;

    /** Opens the connection, delivering to {@code inbox}; {@code onFailure} also runs after each reconnect. */
    Subscriptions(
            RedisLink link, Keys keys, String nodeId, RedisPubSubListener<byte[], byte[]> inbox, Runnable onFailure) {
        this.link = link;
        this.keys = keys;
        this.nodeId = nodeId;
        this.onFailure = onFailure;
        this.pubsub = link.openPubSub(inbox, onFailure);
        if (pubsub instanceof StatefulRedisClusterPubSubConnection<byte[], byte[]> cluster) {
            this.sharded = new ShardedChannels(cluster);
            cluster.addListener(new Dropped());
            link.onLayoutChange(this::moved);
        } else {
            this.sharded = null;
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
                        failed(keys.groupChannel(group), RedisLink.FIRST_RETRY_MS);
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
        if (sharded != null) {
            sharded.forget(channel);
        }
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
        if (sharded == null) {
            return pubsub.async().subscribe(channels);
        }
        // One command per channel: each goes to the primary of its own slot.
        return CompletableFuture.allOf(
                Arrays.stream(channels).map(sharded::listen).toArray(CompletableFuture<?>[]::new));
    }

    /**
     * A subscription failed: on one Redis the liveness subscribes everything again shortly; on a
     * cluster only this channel is tried again, after {@code delayMs} (doubled each time up to
     * {@value RedisLink#LAST_RETRY_MS} ms), while it is still wanted.
     */
    private void failed(byte[] channel, long delayMs) {
        if (sharded == null) {
            onFailure.run();
            return;
        }
        CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS).execute(() -> {
            if (wanted.contains(ByteBuffer.wrap(channel))) {
                link.<Void>observe("subscribe", () -> listen(channel)).exceptionally(error -> {
                    failed(channel, Math.min(delayMs * 2, RedisLink.LAST_RETRY_MS));
                    return null;
                });
            }
        });
    }

    /** The cluster's layout changed: subscribes again the channels whose slot has a new primary. */
    private void moved() {
        for (byte[] channel : sharded.moved(wanted)) {
            link.<Void>observe("subscribe", () -> listen(channel)).exceptionally(error -> {
                failed(channel, RedisLink.FIRST_RETRY_MS);
                return null;
            });
        }
    }

    void close() {
        if (sharded != null) {
            sharded.close();
        }
        RedisLink.closeQuietly(pubsub);
    }

    /**
     * Subscribes again to a channel Redis dropped (its slot moved) while this node still wants it; a
     * drop on a node it no longer uses (a stale one unsubscribed) is no loss.
     */
    private final class Dropped extends RedisClusterPubSubAdapter<byte[], byte[]> {
        @Override
        public void sunsubscribed(RedisClusterNode node, byte[] channel, long count) {
            if (wanted.contains(ByteBuffer.wrap(channel)) && sharded.subscribedOn(channel, node)) {
                link.<Void>observe("subscribe", () -> listen(channel)).exceptionally(error -> {
                    failed(channel, RedisLink.FIRST_RETRY_MS);
                    return null;
                });
            }
        }
    }
}
