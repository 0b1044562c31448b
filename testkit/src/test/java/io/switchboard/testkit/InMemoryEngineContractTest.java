/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import io.switchboard.engine.Engine;
import io.switchboard.engine.InMemoryEngine;
import java.util.ArrayList;
import java.util.List;

/** The engine contract, held against the in-memory engine (a cluster of siblings on one bus). */
class InMemoryEngineContractTest extends EngineContract {

    @Override
    protected List<Engine> newCluster(int count) {
        InMemoryEngine first = new InMemoryEngine();
        List<Engine> engines = new ArrayList<>(List.of(first));
        for (int i = 1; i < count; i++) {
            engines.add(first.sibling());
        }
        return engines;
    }
}
