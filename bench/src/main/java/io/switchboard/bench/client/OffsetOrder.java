/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.client;

/**
 * One subscriber's check that a channel's offsets only grow: the server numbers the publications it
 * keeps in a channel's history 1, 2, 3... and must deliver them to each subscriber in that order.
 * Publications without an offset (a channel that keeps no history sends none, or 0) are not checked.
 *
 * <p>Not thread-safe: one belongs to one connection's event loop.
 */
public final class OffsetOrder {

    private long last;
    private long backwards;
    private long skipped;

    /** Counts the arrival of a publication at {@code offset}. */
    public void accept(long offset) {
        if (offset <= 0) {
            return;
        }
        if (offset <= last) {
            backwards++;
        } else if (last > 0 && offset > last + 1) {
            skipped += offset - last - 1;
        }
        last = Math.max(last, offset);
    }

    /** The newest offset seen (0 if none). */
    public long last() {
        return last;
    }

    /** Publications whose offset was not above the one before (repeated or out of order). */
    public long backwards() {
        return backwards;
    }

    /** Offsets jumped over between two publications received. */
    public long skipped() {
        return skipped;
    }
}
