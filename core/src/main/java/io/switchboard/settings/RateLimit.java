/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.settings;

import java.util.Objects;

/**
 * How many messages one connection may send: a token bucket that holds up to {@code burst}
 * messages and refills at {@code perSecond}. A data message costs one token for its first frame
 * and one more for each 16th fragment (the 16th, 32nd, and so on), so a message in n fragments costs
 * 1 + n/16 rounded down: a 64 KiB message in 1,024 fragments costs 65, within the default burst.
 * Each ping and each pong costs one; only close frames are free. So floods of pings, and of
 * fragments beyond what the fragment limit already stops, are limited like floods of messages.
 * What happens over the limit is the {@code policy}; with {@link RateLimitPolicy#DROP} the frame is
 * dropped (a fragment takes the rest of its message with it, whose fragments still count toward
 * the fragment limit; a dropped ping gets no pong) and the {@code reply}, unless {@code null}, is
 * sent back as a text frame once for each dropped message. The framework does not know the
 * application's protocol, so by default there is no reply: an application that has an error shape
 * sets one, for the whole server here or for one route with {@code
 * WebSocketOptions.withRateLimitReply}.
 *
 * @param perSecond messages per second in the long run; 0 turns the limit off ({@link #OFF})
 * @param burst messages accepted at once after a quiet spell; at least 1 unless the limit is off
 * @param policy what happens over the limit
 * @param reply the text frame sent for a dropped message, or {@code null} to drop silently
 */
public record RateLimit(int perSecond, int burst, RateLimitPolicy policy, String reply) {

    /** The default: 100 messages per second, bursts of 200, close with 1008 over the limit, no reply. */
    public static final RateLimit DEFAULT = new RateLimit(100, 200, RateLimitPolicy.CLOSE, null);

    /** No limit. */
    public static final RateLimit OFF = new RateLimit(0, 0, RateLimitPolicy.CLOSE, null);

    public RateLimit {
        Objects.requireNonNull(policy, "rateLimit.policy");
        if (perSecond < 0) {
            throw new InvalidSettingException("rateLimit.perSecond", "must be 0 (off) or more, not " + perSecond);
        }
        if (perSecond > 0 && burst < 1) {
            throw new InvalidSettingException("rateLimit.burst", "must be at least 1, not " + burst);
        }
    }

    /** {@code perSecond} messages a second in bursts of up to {@code burst}, closing with 1008 over it. */
    public static RateLimit of(int perSecond, int burst) {
        return new RateLimit(perSecond, burst, RateLimitPolicy.CLOSE, null);
    }

    /** This limit with another policy. */
    public RateLimit withPolicy(RateLimitPolicy value) {
        return new RateLimit(perSecond, burst, value, reply);
    }

    /** This limit with another reply to dropped messages; {@code null} drops them silently. */
    public RateLimit withReply(String value) {
        return new RateLimit(perSecond, burst, policy, value);
    }

    /** Whether the limit is off. */
    public boolean isOff() {
        return perSecond == 0;
    }

    /** One line for the limits table: {@code 100/s, burst 200, close}. */
    public String describe() {
        return isOff()
                ? "off"
                : perSecond + "/s, burst " + burst + ", " + policy.name().toLowerCase(java.util.Locale.ROOT);
    }
}
