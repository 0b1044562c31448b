/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.engine;

import io.switchboard.settings.InvalidSettingException;
import java.time.Duration;
import java.util.Objects;

/**
 * How long and how much a {@link History} keeps, so that rooms and absent users are forgotten.
 *
 * @param streamTtl a stream (its entries, its id counter and its epoch) is forgotten this long after
 *     its last append, unless that append gave a time of its own ({@link History.Keep#ttl()}); a
 *     stream that was only read is forgotten this long after it was first read
 * @param queueTtl a queue is forgotten this long after its last enqueue
 * @param maxBytes the most an in-memory history keeps, counted as two bytes per character plus a
 *     fixed overhead per entry, stream and queue (an upper bound of the heap it takes); past it, the
 *     streams and queues written least recently are forgotten whole. Redis keeps its own memory
 *     limit ({@code maxmemory}) and ignores this.
 */
public record Retention(Duration streamTtl, Duration queueTtl, long maxBytes) {

    /** The smallest memory budget (1 MiB): enough for one full default room. */
    public static final long MIN_BYTES = 1 << 20;

    public Retention {
        positive("streamTtl", streamTtl);
        positive("queueTtl", queueTtl);
        if (maxBytes < MIN_BYTES) {
            throw new InvalidSettingException("maxBytes", "must be at least 1MiB, not " + maxBytes + " bytes");
        }
    }

    /** Streams and queues kept 24 hours after their last write, at most 64 MiB in memory. */
    public static Retention defaults() {
        return new Retention(Duration.ofHours(24), Duration.ofHours(24), 64L << 20);
    }

    public Retention withStreamTtl(Duration value) {
        return new Retention(value, queueTtl, maxBytes);
    }

    public Retention withQueueTtl(Duration value) {
        return new Retention(streamTtl, value, maxBytes);
    }

    public Retention withMaxBytes(long value) {
        return new Retention(streamTtl, queueTtl, value);
    }

    private static void positive(String setting, Duration value) {
        Objects.requireNonNull(value, setting);
        if (value.isNegative() || value.isZero() || value.toMillis() < 1) {
            throw new InvalidSettingException(setting, "must be at least 1 ms, not " + value);
        }
    }
}
