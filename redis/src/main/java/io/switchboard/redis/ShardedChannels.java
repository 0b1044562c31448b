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
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sharded subscriptions of a Redis Cluster pub/sub connection, each with the primary it was made
 * on. After a layout change only the channels whose slot has a new primary are subscribed again, and
 * each is unsubscribed on the node that had it: Lettuce's connection to that node remembers its
 * channels and subscribes them again when it reconnects, so a killed primary that comes back as a
 * replica (which Redis lets serve its shard's channels) would otherwise deliver every message a
 * second time. An unsubscribe that fails (the node is still down) is tried again every
 * {@value #SWEEP_MS} ms until it succeeds, the node owns the slot again or leaves the cluster.
 *
 * <p>Thread-safe.
 */
final class ShardedChannels {

    static final long SWEEP_MS = 500;

    /** Where a node listens, as Lettuce names its connection to it. */
    record Address(String host, int port) {
        static Address of(RedisClusterNode node) {
            return new Address(node.getUri().getHost(), node.getUri().getPort());
        }
    }

    /** A channel still subscribed on a node that no longer serves its slot. */
    private record Stale(Address node, ByteBuffer channel) {}

    private final StatefulRedisClusterPubSubConnection<byte[], byte[]> cluster;
    private final Map<ByteBuffer, Address> owners = new ConcurrentHashMap<>();
    private final Set<Stale> stale = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean sweepPlanned = new AtomicBoolean();
    private volatile boolean closed;

    ShardedChannels(StatefulRedisClusterPubSubConnection<byte[], byte[]> cluster) {
        this.cluster = cluster;
    }

    /**
     * Subscribes to {@code channel} once the connection to its slot's primary is open: Lettuce opens
     * one on first use, and refuses a command sent while it is still opening (nothing is queued).
     */
    CompletableFuture<Void> listen(byte[] channel) {
        RedisClusterNode owner = ownerOf(channel);
        if (owner == null) {
            return CompletableFuture.failedFuture(
                    new RedisException("no primary serves the slot of " + Keys.text(channel) + " now"));
        }
        Address at = Address.of(owner);
        return cluster.getConnectionAsync(at.host(), at.port())
                .thenCompose(open -> cluster.async().ssubscribe(channel).toCompletableFuture())
                .thenAccept(subscribed -> remembered(ByteBuffer.wrap(channel), at));
    }

    private void remembered(ByteBuffer channel, Address at) {
        Address before = owners.put(channel, at);
        if (before != null && !before.equals(at)) {
            staleOn(before, channel);
        }
    }

    /** Forgets {@code channel}: it is no longer wanted. */
    void forget(byte[] channel) {
        owners.remove(ByteBuffer.wrap(channel));
    }

    /** Whether {@code node} is where {@code channel} was last subscribed (a drop elsewhere is no loss). */
    boolean subscribedOn(byte[] channel, RedisClusterNode node) {
        Address at = owners.get(ByteBuffer.wrap(channel));
        return at == null || node == null || at.equals(Address.of(node));
    }

    /**
     * After a layout change: the channels (of {@code wanted}) whose slot has another primary now, or
     * that were never subscribed, to subscribe again; their old nodes are swept.
     */
    List<byte[]> moved(Set<ByteBuffer> wanted) {
        List<byte[]> again = new ArrayList<>();
        for (ByteBuffer channel : wanted) {
            byte[] name = bytes(channel);
            RedisClusterNode owner = ownerOf(name);
            Address at = owners.get(channel);
            if (at == null || owner == null || !at.equals(Address.of(owner))) {
                again.add(name);
                if (at != null) {
                    staleOn(at, channel);
                }
            }
        }
        sweep();
        return again;
    }

    private void staleOn(Address node, ByteBuffer channel) {
        stale.add(new Stale(node, channel));
        sweepLater();
    }

    private void sweepLater() {
        if (!closed && sweepPlanned.compareAndSet(false, true)) {
            CompletableFuture.delayedExecutor(SWEEP_MS, TimeUnit.MILLISECONDS).execute(() -> {
                sweepPlanned.set(false);
                sweep();
            });
        }
    }

    /** Unsubscribes each stale channel on its node, unless that node serves the slot again or is gone. */
    private void sweep() {
        for (Stale entry : stale) {
            byte[] name = bytes(entry.channel());
            RedisClusterNode owner = ownerOf(name);
            boolean ownsAgain = owner != null && Address.of(owner).equals(entry.node());
            if (closed || ownsAgain || gone(entry.node())) {
                stale.remove(entry);
                continue;
            }
            // Only on an open connection: one that is down would refuse it anyway, and Lettuce
            // subscribes its channels again when it is back, which the next sweep then undoes.
            cluster.getConnectionAsync(entry.node().host(), entry.node().port())
                    .thenCompose(node -> node.isOpen()
                            ? node.async().sunsubscribe(name).toCompletableFuture()
                            : CompletableFuture.failedFuture(new RedisException("not connected")))
                    .whenComplete((done, error) -> {
                        if (error == null) {
                            stale.remove(entry);
                        } else {
                            sweepLater();
                        }
                    });
        }
    }

    private boolean gone(Address node) {
        return cluster.getPartitions().getPartition(node.host(), node.port()) == null;
    }

    private RedisClusterNode ownerOf(byte[] channel) {
        return cluster.getPartitions().getMasterBySlot(SlotHash.getSlot(channel));
    }

    private static byte[] bytes(ByteBuffer channel) {
        byte[] name = new byte[channel.remaining()];
        channel.duplicate().get(name);
        return name;
    }

    void close() {
        closed = true;
    }
}
