/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.centrifuge;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The centrifuge client in Node against two nodes on Redis: publishers on node A, subscribers on node B. */
class CentrifugeNodeClusterTest extends CentrifugeScenarios {

    private static Nodes nodes;

    @BeforeAll
    static void startNodes() {
        nodes = Nodes.twoOnRedis(null);
    }

    @AfterAll
    static void stopNodes() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Override
    Nodes nodes() {
        return nodes;
    }

    @Override
    AgentLink link(String name) {
        return NodeLink.start(name);
    }
}
