/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import io.switchboard.settings.RateLimit;

/**
 * One connection's message allowance: holds up to {@code burst} tokens, refills at {@code perSecond},
 * and each message takes one. Time is passed in (nanoseconds from any fixed origin) so that tests
 * need no clock. Not thread-safe: used on the connection's event loop.
 */
public final class TokenBucket {

    /** The bucket of every connection without a limit: it never changes, so one serves them all. */
    private static final TokenBucket OFF = new TokenBucket(RateLimit.OFF, 0);

    private final RateLimit limit;
    private double tokens;
    private long refilledAt;

    /** A full bucket at {@code nowNanos}; the shared one when {@code limit} is {@link RateLimit#OFF}. */
    public static TokenBucket of(RateLimit limit, long nowNanos) {
        return limit.equals(RateLimit.OFF) ? OFF : new TokenBucket(limit, nowNanos);
    }

    /** A full bucket at {@code nowNanos}. */
    public TokenBucket(RateLimit limit, long nowNanos) {
        this.limit = limit;
        this.tokens = limit.burst();
        this.refilledAt = nowNanos;
    }

    /** Takes a token if there is one; always true when the limit is off. */
    boolean take(long nowNanos) {
        if (limit.isOff()) {
            return true;
        }
        tokens = Math.min(limit.burst(), tokens + (nowNanos - refilledAt) * (limit.perSecond() / 1e9));
        refilledAt = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    RateLimit limit() {
        return limit;
    }
}
