/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.bench.client.Tally;
import org.junit.jupiter.api.Test;

class TallyTest {

    @Test
    void inOrderDeliveryHasNoLossOrDuplicate() {
        Tally tally = new Tally();
        for (long i = 0; i < 100; i++) {
            tally.accept(i);
        }
        assertThat(tally.received()).isEqualTo(100);
        assertThat(tally.lostOf(100)).isZero();
        assertThat(tally.duplicated()).isZero();
    }

    @Test
    void gapsCountAsLostAndRepeatsAsDuplicated() {
        Tally tally = new Tally();
        for (long seq : new long[] {0, 1, 3, 3, 4, 7, 2}) {
            tally.accept(seq);
        }
        assertThat(tally.lost()).isEqualTo(3); // 2, 5, 6
        assertThat(tally.duplicated()).isEqualTo(2); // the second 3, the late 2
        assertThat(tally.lostOf(10)).isEqualTo(5); // and 8, 9 never came
    }

    @Test
    void nothingReceivedMeansEverythingLost() {
        assertThat(new Tally().lostOf(42)).isEqualTo(42);
    }
}
