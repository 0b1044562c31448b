/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.logs;

import java.util.Locale;

/** How a log line is written. */
public enum LineFormat {
    /** {@code [thread] LEVEL logger - message key=value ...}, then the stack trace, if any. */
    PLAIN,
    /** One JSON object per line: the event's fields, its key-value pairs and MDC entries. */
    JSON;

    /** The format called {@code name} ({@code plain} or {@code json}, in any case). */
    public static LineFormat named(String name) {
        for (LineFormat format : values()) {
            if (format.name().equalsIgnoreCase(name.strip())) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown log format '" + name + "' (plain or json)");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
