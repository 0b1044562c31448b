/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.testkit.RedisServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A link refuses to start on what is not a working Redis Cluster, with an exception naming the
 * problem and within the connect timeout; on one that works it runs commands.
 */
class RedisClusterLinkTest {

    /** The connect timeout bounds every check; a little more for the JVM and the processes. */
    private static final long BOUND_MS = RedisSettings.MIN_CONNECT_TIMEOUT.toMillis() + 5_000;

    @Test
    void unreachableSeedsAreNamed() throws Exception {
        int nobody;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = socket.getLocalPort();
        }
        String uri = "redis-cluster://127.0.0.1:" + nobody;

        assertRefused(uri, "cannot reach Redis at " + uri + ": ");
    }

    @Test
    void aRedisNotInClusterModeIsNamed() {
        try (RedisServer redis = RedisServer.start()) {
            assertRefused("redis-cluster://127.0.0.1:" + redis.port(), "cluster support disabled");
        }
    }

    @Test
    void slotsWithoutAPrimaryAreNamed() {
        try (RedisServer redis = RedisServer.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf")) {
            redis.cli("cluster", "addslotsrange", "0", "99");

            assertRefused("redis-cluster://127.0.0.1:" + redis.port(), "serves 100 of its 16384 slots");
        }
    }

    @Test
    void aWrongPasswordIsNamed() throws Exception {
        try (RedisServer redis = RedisServer.startCluster()) {
            redis.cli("config", "set", "requirepass", "right"); // after the start, which runs redis-cli without it
            String uri = "redis-cluster://:wrong@127.0.0.1:" + redis.port();
            assertRefused(uri, "WRONGPASS");

            try (RedisLink link = RedisLink.open(RedisSettings.of(uri).withPassword("right"), "test")) {
                assertThat(link.call("ping", r -> r.ping())
                                .toCompletableFuture()
                                .get(5, TimeUnit.SECONDS))
                        .isEqualTo("PONG");
                assertThat(link.available()).isTrue();
            }
        }
    }

    private static void assertRefused(String uri, String problem) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> RedisLink.open(RedisSettings.of(uri), "test").close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(problem);
        assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isLessThan(BOUND_MS);
    }
}
