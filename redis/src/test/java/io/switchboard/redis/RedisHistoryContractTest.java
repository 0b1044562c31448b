/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.switchboard.engine.History;
import io.switchboard.engine.Retention;
import io.switchboard.testkit.HistoryContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The history contract, held against the Redis history: one instance per node, on one redis-server and prefix. */
class RedisHistoryContractTest extends HistoryContract {

    private static final AtomicInteger CLUSTERS = new AtomicInteger();
    /** The Redis the tests run against (a subclass's own {@code startRedis} may bring another kind). */
    static final ContractRedis redis = new ContractRedis();

    @BeforeAll
    static void startRedis() throws Exception {
        redis.standalone();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @Override
    protected List<History> newCluster(int count) {
        RedisSettings settings = RedisSettings.of(redis.uri()).withPrefix("history" + CLUSTERS.incrementAndGet() + ":");
        List<History> histories = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            histories.add(RedisHistory.connect(settings));
        }
        return histories;
    }

    /** Real time: the contract's expiry tests poll until Redis has let the keys go. */
    @Override
    protected History expiring(Duration streamTtl, Duration queueTtl) {
        RedisSettings settings = RedisSettings.of(redis.uri()).withPrefix("history" + CLUSTERS.incrementAndGet() + ":");
        return RedisHistory.connect(settings, new Retention(streamTtl, queueTtl, Retention.MIN_BYTES));
    }
}
