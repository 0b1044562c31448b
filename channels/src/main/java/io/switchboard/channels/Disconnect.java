/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

/**
 * Thrown inside a connection's command handling to end the connection with a protocol close code,
 * once the replies so far are sent. Never leaves the connection's handler.
 */
final class Disconnect extends RuntimeException {

    private final DisconnectCode code;

    Disconnect(DisconnectCode code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    DisconnectCode code() {
        return code;
    }
}
