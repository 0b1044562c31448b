/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import java.time.Duration;

/**
 * How {@code serve} is operated: metrics, the internal listener, the admin page, logs and the start of
 * a drain.
 *
 * @param metrics whether the server counts its traffic and serves {@code /metrics}
 * @param internalHost the address of the internal listener
 * @param internalPort the internal listener's port (0: any free one), or {@code null} for none: then
 *     {@code /metrics}, the probes, {@code /admin} and {@code /api} are on the main port
 * @param adminPassword the admin page's password, or {@code null}: the page is off
 * @param logFormat plain lines or one JSON object per line
 * @param shutdownDelay how long {@code /readyz} answers 503 before the drain refuses new connections
 */
record Operations(
        boolean metrics,
        String internalHost,
        Integer internalPort,
        String adminPassword,
        LogFormat logFormat,
        Duration shutdownDelay) {

    /** How log lines are written. */
    enum LogFormat {
        /** One readable line per event. */
        PLAIN,
        /** One JSON object per line, with the connection's address, route, user and close code where known. */
        JSON
    }
}
