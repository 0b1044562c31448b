/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.client;

import java.util.Arrays;

/**
 * What a subscriber of a conflated channel received, per key: the newest sequence number of each of
 * K keys (message n has key n mod K), how many arrived, how many came out of order within their key,
 * and the conflation counts the server reported. Once publishing has stopped and the subscriber has
 * read everything, {@link #missingNewest} says how many keys it does not have the newest value of:
 * conflation may drop stale values, never the newest.
 *
 * <p>Not thread-safe: one belongs to one connection's event loop.
 */
public final class NewestPerKey {

    private final long[] newest;
    private long received;
    private long backwards;
    private long conflatedSum;
    private long conflatedMax;
    private long conflatedMessages;

    /** For {@code keys} keys. */
    public NewestPerKey(int keys) {
        this.newest = new long[keys];
        Arrays.fill(newest, -1);
    }

    /** Counts message {@code sequence} of key {@code key}; {@code conflated} is the server's count of values it replaced (or {@link ProtocolScanner#ABSENT}). */
    public void accept(int key, long sequence, long conflated) {
        received++;
        if (key < 0 || key >= newest.length) {
            return;
        }
        if (sequence <= newest[key]) {
            backwards++;
        } else {
            newest[key] = sequence;
        }
        if (conflated > 0) {
            conflatedMessages++;
            conflatedSum += conflated;
            conflatedMax = Math.max(conflatedMax, conflated);
        }
    }

    /** Publications received. */
    public long received() {
        return received;
    }

    /** Publications not newer than one already received for their key. */
    public long backwards() {
        return backwards;
    }

    /** Keys whose newest value, once {@code published} messages (0 to published-1) were sent, has not arrived. */
    public int missingNewest(long published) {
        int missing = 0;
        for (int key = 0; key < newest.length && key < published; key++) {
            long last = published - 1 - Math.floorMod(published - 1 - key, newest.length);
            if (newest[key] != last) {
                missing++;
            }
        }
        return missing;
    }

    /** Publications that said they stand for others the server dropped. */
    public long conflatedMessages() {
        return conflatedMessages;
    }

    /** The sum of their counts: stale values the server dropped for this subscriber, as it reported them. */
    public long conflatedSum() {
        return conflatedSum;
    }

    /** The largest single count. */
    public long conflatedMax() {
        return conflatedMax;
    }
}
