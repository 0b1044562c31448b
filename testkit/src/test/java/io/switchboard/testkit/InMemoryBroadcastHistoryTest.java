/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import io.switchboard.engine.Engine;
import io.switchboard.engine.History;
import io.switchboard.engine.InMemoryEngine;
import io.switchboard.engine.InMemoryHistory;
import java.util.List;

/** The history's broadcasts, held against the in-memory history and engine. */
class InMemoryBroadcastHistoryTest extends BroadcastHistoryContract {

    @Override
    protected List<Engine> newCluster(int count) {
        InMemoryEngine first = new InMemoryEngine();
        return count == 1 ? List.of(first) : List.of(first, first.sibling());
    }

    @Override
    protected History newHistory() {
        return new InMemoryHistory();
    }
}
