/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@link RedisEngine}'s pub/sub connection: this node's own channel, and the channel of each
 * group it has members in. A subscription that fails is repaired by {@code onFailure} (the liveness
 * resubscribes everything shortly); a hung Redis never holds a join up.
 *
 * <p>Thread-safe; the engine orders subscribe and unsubscribe with its joins and leaves.
 */
final class Subscriptions {

    private final RedisLink link;
    private final Keys keys;
    private final String nodeId;
    private final Runnable onFailure;
    private final StatefulRedisPubSubConnection<byte[], byte[]> pubsub;

    /** Opens the connection, delivering to {@code inbox}; {@code onFailure} also runs after each reconnect. */
    Subscriptions(
            RedisLink link, Keys keys, String nodeId, RedisPubSubListener<byte[], byte[]> inbox, Runnable onFailure) {
        this.link = link;
        this.keys = keys;
        this.nodeId = nodeId;
        this.onFailure = onFailure;
        this.pubsub = link.openPubSub(inbox, onFailure);
    }

    /** Listens on this node's own channel (addresses and users on it). */
    CompletionStage<Void> listenToNode() {
        return link.observe("subscribe", () -> pubsub.async().subscribe(keys.nodeChannel(nodeId)));
    }

    /** Listens on {@code group}'s channel; done at once when Redis is hung (the join goes on without it). */
    CompletableFuture<Void> subscribe(String group) {
        CompletableFuture<Void> done = link.<Void>observe(
                        "subscribe", () -> pubsub.async().subscribe(keys.groupChannel(group)))
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
        link.<Void>observe("unsubscribe", () -> pubsub.async().unsubscribe(keys.groupChannel(group)))
                .exceptionally(e -> null);
    }

    /** Subscribes again to this node's channel and to every group in {@code groups}. */
    CompletionStage<Void> resubscribe(Collection<String> groups) {
        List<byte[]> channels = new ArrayList<>();
        channels.add(keys.nodeChannel(nodeId));
        groups.forEach(group -> channels.add(keys.groupChannel(group)));
        return link.observe("subscribe", () -> pubsub.async().subscribe(channels.toArray(byte[][]::new)));
    }

    void close() {
        RedisLink.closeQuietly(pubsub);
    }
}
