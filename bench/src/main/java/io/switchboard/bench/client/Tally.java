/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.client;

/**
 * One receiver's count of a numbered stream that the server must deliver in order: how many
 * arrived, how many were skipped (lost) and how many came again (duplicated). Exact as long as the
 * server keeps order per connection, which TCP and the server promise; a reordering would show up
 * as both a loss and a duplicate, and that is an error worth seeing too.
 *
 * <p>Not thread-safe: one tally belongs to one connection's event loop.
 */
public final class Tally {

    private long next;
    private long received;
    private long lost;
    private long duplicated;

    /** Counts the arrival of {@code sequence} (numbers start at 0). */
    public void accept(long sequence) {
        received++;
        if (sequence == next) {
            next++;
        } else if (sequence > next) {
            lost += sequence - next;
            next = sequence + 1;
        } else {
            duplicated++;
        }
    }

    /** Messages that arrived, duplicates included. */
    public long received() {
        return received;
    }

    /** The next number expected: every number below it arrived or was counted lost. */
    public long next() {
        return next;
    }

    /** Numbers skipped so far. */
    public long lost() {
        return lost;
    }

    /** Numbers lost in all, once {@code published} numbers (0 to published-1) were sent. */
    public long lostOf(long published) {
        return lost + Math.max(0, published - next);
    }

    /** Arrivals of a number already seen. */
    public long duplicated() {
        return duplicated;
    }
}
