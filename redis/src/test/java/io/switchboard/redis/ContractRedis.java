/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.switchboard.testkit.RedisServer;

/**
 * The Redis a contract test class runs against: a standalone one, unless a subclass brings another
 * (cluster mode, Sentinel). JUnit runs a base class's {@code startRedis} before a subclass's own even
 * though the subclass's hides it, so {@link #use} stops the one it replaces.
 */
final class ContractRedis {

    private AutoCloseable fixture;
    private String uri;

    /** Starts a standalone redis-server for the class. */
    void standalone() throws Exception {
        RedisServer server = RedisServer.start();
        use(server, server.uri());
    }

    /** Runs the class's tests against {@code next}, at {@code nextUri}, stopping the one before. */
    void use(AutoCloseable next, String nextUri) throws Exception {
        close();
        fixture = next;
        uri = nextUri;
    }

    String uri() {
        return uri;
    }

    void close() throws Exception {
        if (fixture != null) {
            fixture.close();
            fixture = null;
        }
    }
}
