/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.architecture.cyclic.right;

import io.switchboard.architecture.cyclic.left.Left;

/** The other half of a deliberate package cycle that {@code ArchitectureTest} must reject. */
public final class Right {

    /** Reaches back into the first package. */
    public Left left() {
        return new Left();
    }
}
