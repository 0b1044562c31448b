/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.switchboard.engine.Engine;
import io.switchboard.engine.History;
import io.switchboard.testkit.BroadcastHistoryContract;
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
    /** The Redis the tests run against (a subclass's own {@code startRedis} may bring another kind). */
    static final ContractRedis redis = new ContractRedis();

    private RedisSettings settings;

    @BeforeAll
    static void startRedis() throws Exception {
        redis.standalone();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @Override
    protected List<Engine> newCluster(int count) {
        settings = RedisSettings.of(redis.uri()).withPrefix("broadcasts" + CLUSTERS.incrementAndGet() + ":");
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
