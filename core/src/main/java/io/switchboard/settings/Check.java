/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.settings;

import java.time.Duration;
import java.util.Objects;

/** The checks the settings records make in their constructors, with their exact messages. */
final class Check {

    private Check() {}

    /** {@code value}, when it is 1 or more. */
    static int atLeastOne(String setting, int value) {
        if (value < 1) {
            throw new InvalidSettingException(setting, "must be at least 1, not " + value);
        }
        return value;
    }

    /** {@code value}, when it is longer than zero. */
    static Duration positive(String setting, Duration value) {
        Objects.requireNonNull(value, setting);
        if (value.isNegative() || value.isZero()) {
            throw new InvalidSettingException(setting, "must be positive, not " + value);
        }
        return value;
    }
}
