/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.centrifuge;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The centrifuge client's browser build in headless Chromium against one node, in memory. */
class CentrifugeBrowserTest extends CentrifugeScenarios {

    private static ChromiumClients chromium;
    private static Nodes nodes;

    @BeforeAll
    static void start() {
        chromium = ChromiumClients.start();
        nodes = Nodes.one(chromium.origin());
    }

    @AfterAll
    static void stop() {
        try {
            if (nodes != null) {
                nodes.close();
            }
        } finally {
            if (chromium != null) {
                chromium.close();
            }
        }
    }

    @Override
    Nodes nodes() {
        return nodes;
    }

    @Override
    AgentLink link(String name) {
        return chromium.open();
    }
}
