/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How a {@link RedisLink}'s Lettuce client behaves, on one Redis or on a Redis Cluster: commands
 * refused while disconnected (never queued to run late), the command timeout, reconnecting with
 * backoff, keepalive; on a cluster also how it follows the cluster's layout.
 */
final class LinkOptions {

    /** How often the client asks the cluster for its layout (who serves which slots) unprompted. */
    static final Duration REFRESH_PERIOD = Duration.ofSeconds(1);

    private LinkOptions() {}

    /** Two I/O threads and two workers, reconnecting after {@value RedisLink#FIRST_RETRY_MS} ms, then backing off. */
    static ClientResources resources() {
        return DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(
                        Duration.ofMillis(RedisLink.FIRST_RETRY_MS),
                        Duration.ofMillis(RedisLink.LAST_RETRY_MS),
                        2,
                        TimeUnit.MILLISECONDS))
                .build();
    }

    /** For one Redis (or one found through Sentinel). */
    static ClientOptions standalone(RedisSettings settings) {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .socketOptions(socket(settings))
                .build();
    }

    /**
     * The same outage behaviour as on one Redis (commands refused while disconnected, never queued;
     * the command timeout; reconnecting), plus a layout refreshed every {@link #REFRESH_PERIOD} and at
     * once on a redirect or when reconnects keep failing, so a failover or a moved slot is followed.
     */
    @SuppressWarnings("deprecation") // Lettuce 7 deprecates choosing triggers, without a replacement yet
    static ClusterClientOptions cluster(RedisSettings settings) {
        return ClusterClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .socketOptions(socket(settings))
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(REFRESH_PERIOD)
                        .enableAdaptiveRefreshTrigger(
                                ClusterTopologyRefreshOptions.RefreshTrigger.MOVED_REDIRECT,
                                ClusterTopologyRefreshOptions.RefreshTrigger.ASK_REDIRECT,
                                ClusterTopologyRefreshOptions.RefreshTrigger.PERSISTENT_RECONNECTS,
                                ClusterTopologyRefreshOptions.RefreshTrigger.UNCOVERED_SLOT,
                                ClusterTopologyRefreshOptions.RefreshTrigger.UNKNOWN_NODE)
                        .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
                        .refreshTriggersReconnectAttempts(3)
                        .closeStaleConnections(true)
                        .dynamicRefreshSources(true)
                        .build())
                .build();
    }

    static SocketOptions socket(RedisSettings settings) {
        return SocketOptions.builder()
                .connectTimeout(settings.connectTimeout())
                // A peer gone without a word (a cable, a firewall) is noticed in about 8 s.
                .keepAlive(SocketOptions.KeepAliveOptions.builder()
                        .enable()
                        .idle(Duration.ofSeconds(5))
                        .interval(Duration.ofSeconds(1))
                        .count(3)
                        .build())
                .build();
    }
}
