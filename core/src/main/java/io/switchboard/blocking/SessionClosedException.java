/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.blocking;

import io.switchboard.session.CloseStatus;

/** The connection closed while a blocking function waited for, or asked for, a message. */
public final class SessionClosedException extends RuntimeException {

    private final transient CloseStatus status;

    public SessionClosedException(CloseStatus status) {
        super("the connection is closed (" + status.code() + ")");
        this.status = status;
    }

    /** How the connection closed. */
    public CloseStatus status() {
        return status;
    }
}
