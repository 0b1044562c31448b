/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session.internal;

/**
 * The last text seen in one place, handed out again when the next is equal: a server mostly sees one
 * Host, a few Origins and a few paths, and every open connection keeps its own in its scope, so
 * ten thousand connections share one copy instead of holding ten thousand. One slot, so it cannot
 * grow; any thread (a race only costs a copy).
 */
public final class LastSeen {

    private volatile String last;

    /** {@code text}, or the equal copy seen last. */
    public String share(String text) {
        String seen = last;
        if (text.equals(seen)) {
            return seen;
        }
        last = text;
        return text;
    }
}
