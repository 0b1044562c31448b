/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.switchboard.engine.Engine;
import io.switchboard.engine.History;
import io.switchboard.testkit.BroadcastHistoryContract;
import io.switchboard.testkit.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The history's broadcasts, held against the Redis history and engine: the script that numbers an
 * entry publishes it, its conflation key in the envelope, to every node.
 */
class RedisBroadcastHistoryTest extends BroadcastHistoryContract {

    private static final AtomicInteger CLUSTERS = new AtomicInteger();
    /** The Redis the tests run against (a subclass's own {@code startRedis} may start another kind). */
    static AutoCloseable redis;

    static String uri;
    private RedisSettings settings;

    @BeforeAll
    static void startRedis() throws Exception {
        RedisServer server = RedisServer.start();
        use(server, server.uri());
    }

    /**
     * Runs the tests of this class against {@code fixture}, at {@code fixtureUri}; closed after them.
     * JUnit runs this class's {@code startRedis} before a subclass's own even though the subclass's
     * hides it, so the standalone Redis it started is stopped here when a subclass brings another.
     */
    static void use(AutoCloseable fixture, String fixtureUri) throws Exception {
        if (redis != null) {
            redis.close();
        }
        redis = fixture;
        uri = fixtureUri;
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
        redis = null;
    }

    @Override
    protected List<Engine> newCluster(int count) {
        settings = RedisSettings.of(uri).withPrefix("broadcasts" + CLUSTERS.incrementAndGet() + ":");
        List<Engine> engines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            engines.add(RedisEngine.connect(settings));
        }
        return engines;
    }

    @Override
    protected History newHistory() {
        return RedisHistory.connect(settings);
    }
}
