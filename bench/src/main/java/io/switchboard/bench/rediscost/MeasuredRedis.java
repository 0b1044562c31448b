/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.rediscost;

import io.switchboard.bench.server.ServerHandle;
import java.util.List;

/**
 * The Redis the bench counts on: one standalone {@code redis-server} ({@link RedisProcess}) or the
 * primaries of a Redis Cluster ({@link RedisCluster}). Commands are counted on every primary, each
 * on its own, because in a cluster which primaries a message touches is half of what is measured.
 */
sealed interface MeasuredRedis extends AutoCloseable permits RedisProcess, RedisCluster {

    /** What the nodes are given as {@code --redis}: {@code redis://...} or {@code redis-cluster://...}. */
    String uri();

    /** The servers that run commands, in a fixed order: the one server, or the cluster's primaries. */
    List<RedisProcess> primaries();

    /** {@code CONFIG RESETSTAT} on every primary: the counts start again from zero. */
    default void resetStats() {
        primaries().forEach(RedisProcess::resetStats);
    }

    /** The counts since the last reset, one per primary, in {@link #primaries()}'s order. */
    default List<CommandStats> statsPerPrimary() {
        return primaries().stream().map(RedisProcess::commandStats).toList();
    }

    /** The counts since the last reset, all primaries together. */
    default CommandStats commandStats() {
        return CommandStats.sum(statsPerPrimary());
    }

    /** CPU time all the primaries have used so far, user and system. */
    default long cpuNanos() {
        return primaries().stream()
                .mapToLong(redis -> ServerHandle.existing("redis", "127.0.0.1", redis.port(), redis.pid())
                        .cpuNanos())
                .sum();
    }

    /** Stops every server this started; nothing else. */
    @Override
    void close();
}
