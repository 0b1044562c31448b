/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench;

import java.util.concurrent.TimeUnit;

/** Ending the processes a bench run started (servers, Redis, nodes): only those, by their handle. */
public final class Processes {

    private static final long GRACE_SECONDS = 10;

    private Processes() {}

    /** Asks {@code process} to end (SIGTERM), waits up to ten seconds, then kills it. */
    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
