/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.event.Event;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.lettuce.core.resource.ClientResources;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import reactor.core.Disposable;

/**
 * Which primaries of a Redis Cluster this link has lost a connection to, from Lettuce's connection
 * events (a reconnect attempt marks one lost, a connection made marks it back). The link is down (commands and pub/sub alike) while a connection to a primary that serves
 * slots is lost: the commands and channels of those slots fail, and a node cannot tell which of its
 * own will need them. A lost node that no longer serves slots (a killed primary whose replica took
 * over) counts no more: the lost ones are looked at every {@value RedisLink#PROBE_MS} ms and at each
 * change of the cluster's layout. A layout change is also told on, so that the channels are
 * subscribed again wherever their slots now are.
 *
 * <p>Thread-safe; Lettuce tells it events on its own threads.
 */
final class ClusterOutages implements AutoCloseable {

    /** What the link does when the cluster is lost, back, or laid out anew. */
    interface Changes {
        void lost();

        void back();

        void moved();
    }

    private final RedisClusterClient client;
    private final Changes changes;
    private final Set<String> lost = ConcurrentHashMap.newKeySet();
    private final Disposable events;
    private volatile boolean closed;

    ClusterOutages(RedisClusterClient client, ClientResources resources, Changes changes) {
        this.client = client;
        this.changes = changes;
        this.events = resources.eventBus().get().subscribe(this::on);
    }

    private void on(Event event) {
        if (closed) {
            return;
        }
        switch (event) {
            // A reconnect attempt, not a deactivation: Lettuce closes its layout queries' connections on purpose.
            case ReconnectAttemptEvent retry -> lose(name(retry.remoteAddress()));
            case ConnectionActivatedEvent back -> {
                if (lost.remove(name(back.remoteAddress())) && lost.isEmpty()) {
                    changes.back();
                }
            }
            case ClusterTopologyChangedEvent moved -> {
                check();
                changes.moved();
            }
            default -> {}
        }
    }

    private void lose(String node) {
        if (!serving().contains(node)) {
            return; // a node without slots (a replica, a failed primary) is no loss
        }
        boolean first = lost.isEmpty();
        if (lost.add(node) && first) {
            changes.lost();
            checkLater();
        }
    }

    private void checkLater() {
        CompletableFuture.delayedExecutor(RedisLink.PROBE_MS, TimeUnit.MILLISECONDS)
                .execute(this::check);
    }

    /** Forgets the lost nodes that serve no slots any more; the link is back when none is left. */
    private void check() {
        if (closed || lost.isEmpty()) {
            return;
        }
        Set<String> serving = serving();
        if (lost.removeIf(node -> !serving.contains(node)) && lost.isEmpty()) {
            changes.back();
        } else if (!lost.isEmpty()) {
            checkLater();
        }
    }

    private Set<String> serving() {
        return client.getPartitions().stream()
                .filter(ClusterOutages::serves)
                .map(node -> node.getUri().getHost() + ":" + node.getUri().getPort())
                .collect(Collectors.toSet());
    }

    /** Whether {@code node} is a primary that serves slots and is not taken for failed. */
    static boolean serves(RedisClusterNode node) {
        return node.is(RedisClusterNode.NodeFlag.UPSTREAM)
                && !node.is(RedisClusterNode.NodeFlag.FAIL)
                && !node.getSlots().isEmpty();
    }

    private static String name(SocketAddress address) {
        return address instanceof InetSocketAddress inet
                ? (inet.getAddress() == null
                                ? inet.getHostString()
                                : inet.getAddress().getHostAddress()) + ":" + inet.getPort()
                : String.valueOf(address);
    }

    @Override
    public void close() {
        closed = true;
        events.dispose();
    }
}
