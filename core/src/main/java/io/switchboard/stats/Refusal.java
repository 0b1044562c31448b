/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.stats;

import java.util.Locale;

/**
 * Why a WebSocket handshake was refused before the upgrade: a closed set, so it may be a metric
 * label. Plain HTTP requests that are not upgrades are not counted here.
 */
public enum Refusal {
    /** The page's {@code Origin} is not allowed (403). */
    ORIGIN,
    /** The authenticator refused who is connecting (401 or 403). */
    AUTH,
    /** A connection limit: too many connections in all or from one address (503 or 429). */
    LIMITS,
    /** A malformed or unacceptable upgrade: wrong host, missing or bad headers, bad version (400, 426). */
    BAD_REQUEST,
    /** No WebSocket route matches the path (404). */
    NOT_FOUND,
    /** The server is draining: new connections are refused (503). */
    DRAINING,
    /** The handler could not be created (500). */
    ERROR;

    /** The label's value: the name in lower case, {@code bad_request}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
