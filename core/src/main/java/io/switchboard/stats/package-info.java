/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * What a server counts about itself, for metrics and the admin page: {@link io.switchboard.stats.ServerStats},
 * read from {@link io.switchboard.Server#stats()}. The counts are kept by the transport on the paths
 * they describe (at most one counting call per event, a message's count and bytes together, which
 * is two striped counter additions; once per batch where the transport batches: broadcasts, sends
 * from other threads) and read at any time from any thread; a metrics library turns them into
 * meters at scrape time, so nothing here depends on one.
 */
package io.switchboard.stats;
