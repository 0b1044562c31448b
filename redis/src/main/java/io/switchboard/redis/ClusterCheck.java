/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How a {@link RedisLink} talks to a Redis Cluster, and the checks it makes before using one: the
 * seeds answer, they are in cluster mode, every one of the 16384 slots has a primary and the cluster
 * says {@code cluster_state:ok}. Each check is bounded by the connect timeout, so a bad cluster fails
 * the start with an exception naming the problem instead of hanging it.
 */
final class ClusterCheck {

    private ClusterCheck() {}

    /** Connects and checks the cluster; fails with the problem named. */
    static StatefulRedisClusterConnection<byte[], byte[]> connect(RedisClusterClient client, RedisSettings settings) {
        StatefulRedisClusterConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
        try {
            covered(client, settings);
            openToEveryPrimary(connection).get(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
            String info = connection
                    .async()
                    .clusterInfo()
                    .toCompletableFuture()
                    .get(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!info.contains("cluster_state:ok")) {
                throw new IllegalStateException(
                        "the Redis Cluster at " + settings.display() + " is not ready: " + line(info, "cluster_state"));
            }
            return connection;
        } catch (ExecutionException | TimeoutException e) {
            RedisLink.closeQuietly(connection);
            throw new IllegalStateException("the Redis Cluster at " + settings.display() + " does not answer", e);
        } catch (InterruptedException e) {
            RedisLink.closeQuietly(connection);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the Redis Cluster", e);
        } catch (RuntimeException e) {
            RedisLink.closeQuietly(connection);
            throw e;
        }
    }

    /**
     * Opens the connection to each primary that serves slots, without waiting: Lettuce opens one on
     * first use and refuses a command sent while it is still opening (nothing is queued), so the first
     * command to a primary (a new one after a failover too) would fail. Done when all are open.
     */
    static CompletableFuture<Void> openToEveryPrimary(StatefulRedisClusterConnection<byte[], byte[]> connection) {
        return CompletableFuture.allOf(connection.getPartitions().stream()
                .filter(node -> node.is(RedisClusterNode.NodeFlag.UPSTREAM)
                        && !node.getSlots().isEmpty())
                .map(node -> connection.getConnectionAsync(
                        node.getUri().getHost(), node.getUri().getPort()))
                .toArray(CompletableFuture<?>[]::new));
    }

    /**
     * A pub/sub connection to the cluster, with its connection to every primary opened now: a sharded
     * subscription goes to its slot's primary, and one sent while that connection is still opening
     * would be refused (commands are never queued while disconnected).
     */
    static StatefulRedisClusterPubSubConnection<byte[], byte[]> connectPubSub(RedisClusterClient client) {
        StatefulRedisClusterPubSubConnection<byte[], byte[]> pubsub = client.connectPubSub(ByteArrayCodec.INSTANCE);
        try {
            for (RedisClusterNode node : client.getPartitions()) {
                if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)
                        && !node.getSlots().isEmpty()) {
                    // by address: the key under which Lettuce keeps the connection a slot's commands use
                    pubsub.getConnection(node.getUri().getHost(), node.getUri().getPort());
                }
            }
            return pubsub;
        } catch (RuntimeException e) {
            RedisLink.closeQuietly(pubsub);
            throw e;
        }
    }

    /**
     * A PING to every primary that serves slots now, as any of them may be the one that hangs. A
     * primary failed over while hung (flagged FAIL, its slots with its replica) is left out, or the
     * link would stay hung until it came back; the selection is made anew at each call.
     */
    static CompletableFuture<Void> ping(StatefulRedisClusterConnection<byte[], byte[]> cluster) {
        return CompletableFuture.allOf(
                cluster.async().nodes(ClusterOutages::serves).commands().ping().futures());
    }

    /** Whether the connections ({@code pubsub} may be {@code null}) to {@code node} are open now. */
    static boolean open(
            StatefulRedisClusterConnection<byte[], byte[]> commands,
            StatefulRedisClusterPubSubConnection<byte[], byte[]> pubsub,
            RedisClusterNode node) {
        String host = node.getUri().getHost();
        int port = node.getUri().getPort();
        return open(commands.getConnectionAsync(host, port))
                && (pubsub == null || open(pubsub.getConnectionAsync(host, port)));
    }

    /** Whether {@code connection} (a node connection Lettuce opened or is opening) is open now. */
    private static boolean open(CompletableFuture<? extends StatefulConnection<?, ?>> connection) {
        return connection.isDone()
                && !connection.isCompletedExceptionally()
                && connection.join().isOpen();
    }

    private static void covered(RedisClusterClient client, RedisSettings settings) {
        long served = client.getPartitions().stream()
                .filter(node -> node.is(RedisClusterNode.NodeFlag.UPSTREAM))
                .mapToLong(node -> node.getSlots().size())
                .sum();
        if (served < SlotHash.SLOT_COUNT) {
            throw new IllegalStateException("the Redis Cluster at " + settings.display() + " serves " + served
                    + " of its " + SlotHash.SLOT_COUNT + " slots: give every slot a primary (redis-cli --cluster fix)");
        }
    }

    private static String line(String info, String field) {
        return info.lines()
                .filter(l -> l.startsWith(field))
                .findFirst()
                .orElse(info)
                .strip();
    }
}
