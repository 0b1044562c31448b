/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import io.switchboard.engine.History;
import io.switchboard.engine.InMemoryHistory;
import io.switchboard.engine.Retention;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collections;
import java.util.List;

/**
 * The history contract, held against the in-memory history: one node's store, shared by every "node".
 * Expiry runs on a clock the test moves, so nothing waits.
 */
class InMemoryHistoryContractTest extends HistoryContract {

    private final ManualClock clock = new ManualClock();

    @Override
    protected List<History> newCluster(int count) {
        return Collections.nCopies(count, new InMemoryHistory());
    }

    @Override
    protected History expiring(Duration streamTtl, Duration queueTtl) {
        return new InMemoryHistory(new Retention(streamTtl, queueTtl, Retention.MIN_BYTES), clock);
    }

    @Override
    protected void advance(Duration duration) {
        clock.advance(duration);
    }

    /** Time that moves only when told. */
    static final class ManualClock implements InstantSource {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }
    }
}
