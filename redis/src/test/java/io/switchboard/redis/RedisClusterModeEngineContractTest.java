/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.switchboard.testkit.RedisServer;
import org.junit.jupiter.api.BeforeAll;

/** The engine contract, held against a Redis in cluster mode (one primary serving every slot). */
class RedisClusterModeEngineContractTest extends RedisEngineContractTest {

    /** Replaces the standalone fixture of {@link RedisEngineContractTest}; its {@code stopRedis} closes this one. */
    @BeforeAll
    static void startRedis() throws Exception {
        RedisServer server = RedisServer.startCluster();
        redis.use(server, server.uri());
    }
}
