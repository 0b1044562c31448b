package io.switchboard.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How long and how much a {@link History} keeps, so that rooms and absent users are forgotten.
 *
 * @param streamTtl a stream (its entries, its id counter and its epoch) is forgotten this long after
 *     its last append; a stream that was only read is forgotten this long after it was first read
 * @param queueTtl a queue is forgotten this long after its last enqueue
 * @param maxBytes the most an in-memory history keeps, counted as two bytes per character plus a
 *     fixed overhead per entry, stream and queue (an upper bound of the heap it takes); past it, the
 *     streams and queues written least recently are forgotten whole. Redis keeps its own memory
 *     limit ({@code maxmemory}) and ignores this.
 */
public record Retention(Duration streamTtl, Duration queueTtl, long maxBytes) {

    /** The smallest memory budget: enough for one full default room. */
    public static final long MIN_BYTES = 1 << 20;

    public Retention {
        positive("stream time to live", streamTtl);
        positive("queue time to live", queueTtl);
        if (maxBytes < MIN_BYTES) {
            throw new IllegalArgumentException(
                    "the history memory budget must be at least " + MIN_BYTES + " bytes, not " + maxBytes);
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

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero() || value.toMillis() < 1) {
            throw new IllegalArgumentException("the " + name + " must be at least 1 ms, not " + value);
        }
    }
}
