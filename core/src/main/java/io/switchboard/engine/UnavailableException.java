/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.engine;

/**
 * An engine or a {@link History} could not reach the store it shares with other nodes (a Redis that
 * restarts, say), so the operation did nothing. Expected during an outage: callers answer "try again
 * later" instead of failing the connection. Stages complete exceptionally with it; it is never
 * thrown by a method directly.
 */
public final class UnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
