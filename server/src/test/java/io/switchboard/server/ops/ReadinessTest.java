/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.engine.InMemoryEngine;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Readiness over its life: not ready while starting, ready once started, not ready again from the drain on. */
class ReadinessTest {

    @Test
    void notReadyUntilStartedThenUntilTheDrain() {
        try (InMemoryEngine engine = new InMemoryEngine()) {
            Readiness readiness = new Readiness(Map.of("engine", engine));
            assertThat(readiness.ready()).isFalse();
            assertThat(readiness.reasons()).containsExactly("starting: the node does not serve yet");

            readiness.started();
            assertThat(readiness.ready()).isTrue();
            assertThat(readiness.reasons()).isEmpty();

            readiness.drain();
            assertThat(readiness.draining()).isTrue();
            assertThat(readiness.reasons()).containsExactly("draining: the node is shutting down");
        }
    }
}
