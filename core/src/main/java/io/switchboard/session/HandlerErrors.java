/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The default answer to a failed callback: one log line and a 1011 close. */
final class HandlerErrors {

    private static final Logger log = LoggerFactory.getLogger(WebSocketHandler.class);

    private HandlerErrors() {}

    static void logAndClose(Session session, Throwable error) {
        log.warn(
                "handler for {} on {} failed; closing with 1011",
                session.address(),
                session.scope().path(),
                error);
        session.close(CloseStatus.INTERNAL_ERROR);
    }
}
