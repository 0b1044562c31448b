/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The server's metrics in Prometheus' text format at {@code /metrics}, through Micrometer: meters read
 * at scrape time from what the server already counts ({@link io.switchboard.stats.ServerStats}), from
 * the sizes of the node's history and channels, from the shared store's calls ({@link
 * io.switchboard.engine.StoreStatus}), and Micrometer's JVM and Netty allocator binders. Nothing here
 * runs on the path a message takes: a scrape reads numbers the transport keeps anyway.
 */
package io.switchboard.server.metrics;
