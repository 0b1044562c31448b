/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.time;

/**
 * A monotonic source of nanoseconds, read wherever elapsed time is measured (the heartbeat's idle
 * time, the handshake timeout's deadline, the rate limit's tokens), so that tests move time instead
 * of waiting for it; timers themselves (close timeout, drain) run on an injected scheduler. Only
 * differences between two readings mean anything, as with {@link System#nanoTime()}.
 */
@FunctionalInterface
public interface Ticker {

    /** The system's monotonic clock. */
    Ticker SYSTEM = System::nanoTime;

    /** The current reading in nanoseconds. */
    long nanoTime();
}
