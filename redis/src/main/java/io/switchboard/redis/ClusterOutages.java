/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Which of a Redis Cluster client's connections (one per primary, for commands and for pub/sub) are
 * lost. Commands are down while any connection to a primary that serves slots is lost; pub/sub is
 * lost likewise. A connection to a node that no longer serves slots (a killed primary whose replica
 * took over) or that Lettuce closed (a stale node after a topology refresh) counts no more: it is
 * looked at every {@value RedisLink#PROBE_MS} ms while something is lost, and dropped.
 *
 * <p>Thread-safe; Lettuce calls it on its event threads.
 */
final class ClusterOutages implements RedisConnectionStateListener {

    /** What the link does when a side is lost or back. */
    interface Changes {
        void commandsLost();

        void commandsBack();

        void pubSubLost();

        void pubSubBack();
    }

    private final RedisClusterClient client;
    private final Changes changes;
    private final Map<RedisChannelHandler<?, ?>, SocketAddress> addresses = new ConcurrentHashMap<>();
    private final Set<RedisChannelHandler<?, ?>> lost = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    ClusterOutages(RedisClusterClient client, Changes changes) {
        this.client = client;
        this.changes = changes;
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
        addresses.put(connection, address);
        if (lost.remove(connection)) {
            settle(pubSub(connection));
        } else if (pubSub(connection)) {
            changes.pubSubBack(); // a new node connection: the link resubscribes what may have moved to it
        }
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        if (closed || !connection.isOpen()) {
            return; // closed on purpose: no loss
        }
        boolean pubSub = pubSub(connection);
        boolean first = lost.stream().noneMatch(other -> pubSub(other) == pubSub);
        lost.add(connection);
        if (first) {
            if (pubSub) {
                changes.pubSubLost();
            } else {
                changes.commandsLost();
            }
            checkLater();
        }
    }

    void close() {
        closed = true;
    }

    private void checkLater() {
        CompletableFuture.delayedExecutor(RedisLink.PROBE_MS, TimeUnit.MILLISECONDS)
                .execute(this::check);
    }

    /** Drops the lost connections that no longer count, and says which sides are back. */
    private void check() {
        if (closed || lost.isEmpty()) {
            return;
        }
        Set<String> serving = client.getPartitions().stream()
                .filter(node -> !node.getSlots().isEmpty() && node.is(RedisClusterNode.NodeFlag.UPSTREAM))
                .map(node -> node.getUri().getHost() + ":" + node.getUri().getPort())
                .collect(Collectors.toSet());
        for (RedisChannelHandler<?, ?> connection : Set.copyOf(lost)) {
            if (!connection.isOpen() || !serving.contains(name(addresses.get(connection)))) {
                lost.remove(connection);
                settle(pubSub(connection));
            }
        }
        if (!lost.isEmpty()) {
            checkLater();
        }
    }

    private void settle(boolean pubSub) {
        if (lost.stream().anyMatch(other -> pubSub(other) == pubSub)) {
            return;
        }
        if (pubSub) {
            changes.pubSubBack();
        } else {
            changes.commandsBack();
        }
    }

    private static boolean pubSub(RedisChannelHandler<?, ?> connection) {
        return connection instanceof StatefulRedisPubSubConnection<?, ?>;
    }

    private static String name(SocketAddress address) {
        return address instanceof InetSocketAddress inet
                ? inet.getAddress().getHostAddress() + ":" + inet.getPort()
                : String.valueOf(address);
    }
}
