/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.bench.client.NewestPerKey;
import io.switchboard.bench.client.OffsetOrder;
import io.switchboard.bench.client.ProtocolScanner;
import org.junit.jupiter.api.Test;

/** The per-subscriber checks of the channel scenarios: offsets in order, and the newest value per key. */
class ReceiptsTest {

    @Test
    void offsetsThatGrowByOneAreInOrder() {
        OffsetOrder order = new OffsetOrder();
        for (long offset = 1; offset <= 50; offset++) {
            order.accept(offset);
        }
        assertThat(order.backwards()).isZero();
        assertThat(order.skipped()).isZero();
        assertThat(order.last()).isEqualTo(50);
    }

    @Test
    void repeatedOrEarlierOffsetsAndGapsAreCounted() {
        OffsetOrder order = new OffsetOrder();
        for (long offset : new long[] {1, 2, 2, 5, 3, 6}) {
            order.accept(offset);
        }
        assertThat(order.backwards()).isEqualTo(2); // the second 2, the late 3
        assertThat(order.skipped()).isEqualTo(2); // 3 and 4 jumped over at first
    }

    @Test
    void publicationsWithoutAnOffsetAreNotChecked() {
        OffsetOrder order = new OffsetOrder();
        order.accept(ProtocolScanner.ABSENT);
        order.accept(0);
        order.accept(0);
        assertThat(order.backwards()).isZero();
        assertThat(order.last()).isZero();
    }

    @Test
    void everyKeysNewestValueMeansNothingMissing() {
        NewestPerKey seen = new NewestPerKey(3);
        // 10 messages: key = n mod 3; newest are 9 (key 0), 7 (key 1), 8 (key 2)
        for (long n : new long[] {0, 1, 2, 3, 9, 7, 8}) {
            seen.accept((int) (n % 3), n, ProtocolScanner.ABSENT);
        }
        assertThat(seen.missingNewest(10)).isZero();
        assertThat(seen.received()).isEqualTo(7);
        assertThat(seen.backwards()).isZero();
    }

    @Test
    void aStaleLastValueIsMissingTheNewest() {
        NewestPerKey seen = new NewestPerKey(3);
        for (long n : new long[] {9, 4, 8, 6}) { // key 1 stops at 4 (7 is newest); 6 after 9 is backwards
            seen.accept((int) (n % 3), n, ProtocolScanner.ABSENT);
        }
        assertThat(seen.missingNewest(10)).isEqualTo(1);
        assertThat(seen.backwards()).isEqualTo(1);
    }

    @Test
    void fewerMessagesThanKeysOnlyExpectThoseSent() {
        NewestPerKey seen = new NewestPerKey(100);
        seen.accept(0, 0, ProtocolScanner.ABSENT);
        seen.accept(1, 1, ProtocolScanner.ABSENT);
        assertThat(seen.missingNewest(2)).isZero();
        assertThat(seen.missingNewest(3)).isEqualTo(1);
    }

    @Test
    void conflationCountsAddUp() {
        NewestPerKey seen = new NewestPerKey(2);
        seen.accept(0, 10, 4);
        seen.accept(1, 11, ProtocolScanner.ABSENT);
        seen.accept(0, 12, 7);
        assertThat(seen.conflatedMessages()).isEqualTo(2);
        assertThat(seen.conflatedSum()).isEqualTo(11);
        assertThat(seen.conflatedMax()).isEqualTo(7);
    }
}
