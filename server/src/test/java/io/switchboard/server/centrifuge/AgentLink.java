/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.centrifuge;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The way to one running centrifuge agent ({@code src/test/centrifuge/agent/agent.js}): commands
 * go in, events come out in the order the client reported them. One per client, used by one test
 * thread.
 */
interface AgentLink extends AutoCloseable {

    /** Hands {@code command} ({@code {id, op, ...}}) to the agent. */
    void send(Map<String, Object> command);

    /** The events reported since the last call, waiting up to {@code wait} for the first one; empty if none came. */
    List<JsonNode> take(Duration wait);

    /** What runs the client, for messages: "Node", "Chromium". */
    String runtime();

    /** Ends the client and what runs it. */
    @Override
    void close();
}
