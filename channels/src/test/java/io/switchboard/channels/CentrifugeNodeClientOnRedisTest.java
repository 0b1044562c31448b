/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.redis.RedisEngine;
import io.switchboard.redis.RedisHistory;
import io.switchboard.redis.RedisSettings;
import io.switchboard.testkit.RedisServer;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The same Node suite as {@link CentrifugeNodeClientTest}, against two channel nodes on one real
 * Redis (engine and history): clients on both ({@code SWITCHBOARD_WS_URL} and {@code _2}).
 */
class CentrifugeNodeClientOnRedisTest {

    @Test
    void theCentrifugeClientSuitePassesAcrossTwoNodes() throws Exception {
        assertThat(new File(CentrifugeNodeClientTest.DIRECTORY, "node_modules/centrifuge"))
                .as("the centrifuge client is not installed: run npm ci in "
                        + CentrifugeNodeClientTest.DIRECTORY.getCanonicalPath())
                .exists();
        try (RedisServer redis = RedisServer.start();
                Fixture first = node(redis);
                Fixture second = node(redis)) {
            List<String> failed = CentrifugeNodeClientTest.runNode(
                    first.server.ws(Channels.PATH).toString(),
                    second.server.ws(Channels.PATH).toString());
            assertThat(failed)
                    .as("failing centrifuge client tests (see the log)")
                    .isEmpty();
        }
    }

    private static Fixture node(RedisServer redis) {
        AtomicReference<Channels> channels = new AtomicReference<>();
        RedisSettings settings = RedisSettings.of(redis.uri());
        Channels.Builder builder = Channels.builder()
                .hooks(CentrifugeNodeClientTest.hooks(channels))
                .expiryGrace(Duration.ofSeconds(5));
        Fixture fixture = new Fixture(builder, null, RedisHistory.connect(settings), RedisEngine.connect(settings));
        channels.set(fixture.channels);
        return fixture;
    }
}
