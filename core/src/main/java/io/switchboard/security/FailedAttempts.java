/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import io.switchboard.time.Ticker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows down guessing of a secret (an API key, a password): after {@code limit} failed attempts
 * from one remote address within {@code window}, that address is refused without its attempt being
 * checked until the window that began with its first failure has passed. The caller answers a refused
 * attempt with 429 and a {@code Retry-After} of {@link #refused}'s duration.
 *
 * <p>The table of addresses is bounded: past {@code capacity} addresses the one least recently seen
 * is forgotten. Refusals are logged once an address is blocked, not once a request, and the log itself
 * is limited to one line a second (a line after a quiet spell says how many it left out), so a flood
 * from many addresses cannot flood the log either.
 *
 * <p>Thread-safe; time comes from the {@link Ticker} given, so tests move it instead of waiting.
 */
public final class FailedAttempts {

    private static final Logger log = LoggerFactory.getLogger(FailedAttempts.class);

    /** Failures from one address within {@link #WINDOW} before it is refused. */
    public static final int LIMIT = 5;

    /** How long the failures of one address are counted, and it is refused once it reached the limit. */
    public static final Duration WINDOW = Duration.ofMinutes(1);

    /** How many addresses are remembered at most. */
    public static final int CAPACITY = 10_000;

    private static final long LOG_GAP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String what;
    private final int limit;
    private final long windowNanos;
    private final Ticker ticker;
    private final Map<String, Tally> tallies;
    private long lastLogged;
    private boolean loggedOnce;
    private int unlogged;

    /**
     * Counts wrong guesses of {@code what} (the secret, as logs name it: "server API key"), refusing
     * an address after {@code limit} failures within {@code window}, remembering at most
     * {@code capacity} addresses.
     */
    public FailedAttempts(String what, int limit, Duration window, int capacity, Ticker ticker) {
        this.what = Objects.requireNonNull(what, "what");
        if (limit < 1 || capacity < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("limit, capacity and window must be positive");
        }
        this.limit = limit;
        this.windowNanos = window.toNanos();
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.tallies = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Tally> eldest) {
                return size() > capacity;
            }
        };
    }

    /** {@link #LIMIT} failures of {@code what} within {@link #WINDOW}, {@link #CAPACITY} addresses, on the system clock. */
    public static FailedAttempts of(String what) {
        return new FailedAttempts(what, LIMIT, WINDOW, CAPACITY, Ticker.SYSTEM);
    }

    /**
     * Whether an attempt from {@code address} is refused without being checked: if so, how long until
     * it will not be (at least a second, for a {@code Retry-After} header); empty to go ahead.
     */
    public synchronized Optional<Duration> refused(String address) {
        Tally tally = tallies.get(address);
        if (tally == null) {
            return Optional.empty();
        }
        long left = tally.started + windowNanos - ticker.nanoTime();
        if (left <= 0) {
            tallies.remove(address);
            return Optional.empty();
        }
        if (tally.failures < limit) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(left + 999_999_999L))));
    }

    /** An attempt from {@code address} failed the check; the failure that reaches the limit is logged. */
    public synchronized void failed(String address) {
        long now = ticker.nanoTime();
        Tally tally = tallies.get(address);
        if (tally == null || now - tally.started >= windowNanos) {
            tally = new Tally(now);
            tallies.put(address, tally);
        }
        tally.failures++;
        if (tally.failures == limit) {
            blocked(address, now);
        }
    }

    /** An attempt from {@code address} passed the check: its failures are forgotten. */
    public synchronized void succeeded(String address) {
        tallies.remove(address);
    }

    /** How many addresses are remembered now. */
    public synchronized int remembered() {
        return tallies.size();
    }

    private void blocked(String address, long now) {
        if (loggedOnce && now - lastLogged < LOG_GAP_NANOS) {
            unlogged++;
            return;
        }
        String left = unlogged == 0 ? "" : " (" + unlogged + " more addresses blocked since the last such line)";
        log.warn(
                "{} gave a wrong {} {} times within {} s: refusing its attempts (429) until the window ends{}",
                address,
                what,
                limit,
                TimeUnit.NANOSECONDS.toSeconds(windowNanos),
                left);
        loggedOnce = true;
        lastLogged = now;
        unlogged = 0;
    }

    /** One address's failures in its current window. */
    private static final class Tally {
        final long started;
        int failures;

        Tally(long started) {
            this.started = started;
        }
    }
}
