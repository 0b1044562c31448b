package io.switchboard.architecture.cyclic.left;

import io.switchboard.architecture.cyclic.right.Right;

/** Half of a deliberate package cycle that {@code ArchitectureTest} must reject. */
public final class Left {

    /** Reaches into the other package, which reaches back. */
    public Right right() {
        return new Right();
    }
}
