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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import reactor.core.Disposable;

/**
 * Whether this link has lost a Redis Cluster primary that serves slots. An outage starts at a
 * reconnect attempt (Lettuce's event) of a connection to such a primary, and ends when this link's
 * own connections (commands, and pub/sub if any) to every primary that serves slots are open again,
 * looked at every {@value RedisLink#PROBE_MS} ms while it lasts and at each connection made or layout
 * change. Any connection made (a layout query's too) is no proof that ours are back, so events only
 * prompt the look. A lost primary whose replica took over counts no more, as it serves no slots. A
 * layout change is also told on, so that the channels are subscribed again where their slots now are.
 *
 * <p>Thread-safe: the outage's start and end are decided under one lock, so each is told once.
 */
final class ClusterOutages implements AutoCloseable {

    /** What the link does when the cluster is lost, back, or laid out anew, and whether it is connected. */
    interface Changes {
        void lost();

        void back();

        void moved();

        /** Whether the link's own connections to {@code node} are open. */
        boolean open(RedisClusterNode node);
    }

    private final RedisClusterClient client;
    private final Changes changes;
    private final Disposable events;
    private final AtomicBoolean checkPlanned = new AtomicBoolean();
    /** Guarded by {@code this}. */
    private boolean down;

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
            case ConnectionActivatedEvent made -> check();
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
        synchronized (this) {
            if (closed || down) {
                return;
            }
            down = true;
            changes.lost();
        }
        checkLater();
    }

    private void checkLater() {
        if (!closed && checkPlanned.compareAndSet(false, true)) {
            CompletableFuture.delayedExecutor(RedisLink.PROBE_MS, TimeUnit.MILLISECONDS)
                    .execute(() -> {
                        checkPlanned.set(false);
                        check();
                    });
        }
    }

    /** Ends the outage when the link's connections to every primary that serves slots are open. */
    private void check() {
        synchronized (this) {
            if (closed || !down) {
                return;
            }
            if (client.getPartitions().stream().filter(ClusterOutages::serves).allMatch(changes::open)) {
                down = false;
                changes.back();
                return;
            }
        }
        checkLater();
    }

    private Set<String> serving() {
        return client.getPartitions().stream()
                .filter(ClusterOutages::serves)
                .map(node -> node.getUri().getHost() + ":" + node.getUri().getPort())
                .collect(Collectors.toSet());
    }

    /**
     * Whether {@code node} is a primary that serves slots. One taken for failed still counts while it
     * holds them (no replica has taken over, so its slots have nobody else): leaving it out would end
     * an outage that goes on, and the next command to it would start the next one.
     */
    static boolean serves(RedisClusterNode node) {
        return node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty();
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
