/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The ring of samples: rates between neighbours, a bounded past, and reading after a moment. */
class StatsRingTest {

    private final Figures stats = new Figures();

    @Test
    void pointsAreRatesPerSecondBetweenNeighbouringSamples() {
        StatsRing ring = new StatsRing(10);
        ring.add(1_000, stats);
        assertThat(ring.newest()).isNull();
        stats.set(3, 40, 80, 20);
        ring.add(3_000, stats); // two seconds later

        assertThat(ring.newest()).isEqualTo(new StatsRing.Point(3_000, 3, 20, 40, 10));
        assertThat(ring.pointsAfter(0)).containsExactly(ring.newest());
    }

    @Test
    void theRingKeepsItsNewestSamplesOnly() {
        StatsRing ring = new StatsRing(3);
        for (int second = 1; second <= 10; second++) {
            stats.set(second, second * 10L, 0, 0);
            ring.add(second * 1_000L, stats);
        }
        assertThat(ring.pointsAfter(0))
                .extracting(StatsRing.Point::at)
                .containsExactly(9_000L, 10_000L); // three samples, two rates between them
        assertThat(ring.pointsAfter(9_000)).extracting(StatsRing.Point::at).containsExactly(10_000L);
        assertThat(ring.pointsAfter(10_000)).isEmpty();
        assertThat(ring.newest().inPerSecond()).isEqualTo(10);
    }

    @Test
    void aRingHoldsAtLeastTwoSamples() {
        assertThatThrownBy(() -> new StatsRing(1)).isInstanceOf(IllegalArgumentException.class);
    }
}
