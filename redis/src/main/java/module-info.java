/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/** The engine for many nodes on Redis: exports {@code io.switchboard.redis} and nothing of Lettuce. */
// Lettuce has no module-info, only an Automatic-Module-Name, which is stable enough to require.
@SuppressWarnings("requires-automatic")
module io.switchboard.redis {
    requires transitive io.switchboard;
    requires lettuce.core;
    requires reactor.core; // Lettuce's event bus (a Redis Cluster's connection events) is a Flux
    requires org.slf4j;

    exports io.switchboard.redis;
}
