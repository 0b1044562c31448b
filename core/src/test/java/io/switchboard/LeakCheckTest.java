/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The leak check itself can fail: a buffer dropped without release is reported. */
class LeakCheckTest {

    @Test
    void aBufferCollectedWithoutBeingReleasedFailsTheCheck() {
        assertThatCode(() -> new LeakCheck().afterEach(null)).doesNotThrowAnyException();
        dropWithoutRelease();
        assertThatThrownBy(() -> new LeakCheck().afterEach(null))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Netty buffers were never released")
                .hasMessageContaining("dropWithoutRelease");
    }

    private static void dropWithoutRelease() {
        ByteBuf buffer = ByteBufAllocator.DEFAULT.directBuffer(16);
        buffer.writeLong(42); // recorded in paranoid mode: the report names this method
    }
}
