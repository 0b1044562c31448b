/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;

/** Looking up a user's channel connections. */
class ChannelUsersTest {

    @Test
    void aNullUserIsRefusedByName() {
        assertThatNullPointerException()
                .isThrownBy(() -> ChannelUsers.connections(null, null))
                .withMessage("user");
    }
}
