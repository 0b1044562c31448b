/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.json.Json;
import io.switchboard.testkit.TestClient;
import java.util.ArrayList;
import java.util.List;

/** What the subscribe race tests check a subscriber against, on one node or two. */
final class RaceChecks {

    private RaceChecks() {}

    /**
     * The subscribe reply. A publication before it would be dropped by the client (it is still
     * subscribing): none may come, since the channel's broadcasts wait for the reply.
     */
    static JsonNode subscribeReply(TestClient client) {
        List<Long> early = new ArrayList<>();
        while (true) {
            JsonNode frame = Json.read(client.expectText(), JsonNode.class);
            if (frame.has("subscribe")) {
                assertThat(early).as("publications before the subscribe reply").isEmpty();
                return frame.get("subscribe");
            }
            early.add(frame.at("/push/pub/offset").asLong());
        }
    }

    /** The offsets {@code first} to {@code last}, in order: what a gap-free, duplicate-free subscriber gets. */
    static List<Long> range(long first, long last) {
        List<Long> offsets = new ArrayList<>();
        for (long offset = first; offset <= last; offset++) {
            offsets.add(offset);
        }
        return offsets;
    }
}
