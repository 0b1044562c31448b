/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.architecture.cyclic.left;

import io.switchboard.architecture.cyclic.right.Right;

/** Half of a deliberate package cycle that {@code ArchitectureTest} must reject. */
public final class Left {

    /** Reaches into the other package, which reaches back. */
    public Right right() {
        return new Right();
    }
}
