/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import io.switchboard.time.Ticker;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows down guessing of a secret (an API key, a password): after {@code limit} failed attempts
 * from one address within {@code window}, that address is refused without its attempt being checked
 * until the window that began with its first failure has passed. The caller answers a refused attempt
 * with 429 and a {@code Retry-After} of {@link Attempt#refused()}'s duration.
 *
 * <p>An attempt is reserved before the secret is checked ({@link #attempt}) and settled after
 * ({@link Attempt#failed()}, {@link Attempt#close()}), so parallel requests from one address cannot
 * all pass the gate before the first failure is counted: at most {@code limit} checks from an address
 * can fail within a window. A reservation past that waits (briefly: a check is quick) for those being
 * checked to settle. A success does not forget the failures: behind one address (a proxy, a NAT) an
 * attacker's tally would otherwise be reset by every legitimate call; the window forgets them.
 *
 * <p>An address is an IPv4 address, or the /64 prefix of an IPv6 one: a single IPv6 host usually
 * has a whole /64 to choose from.
 *
 * <p>The table of addresses is bounded: past {@code capacity} addresses the one least recently seen
 * is forgotten (the reservations under way take one entry an address being checked, gone once settled). Refusals are logged once an address is blocked, not once a request, and these lines
 * are limited to one a second (a line after a quiet spell says how many it left out), so a flood of
 * blocked addresses cannot flood the log with them.
 *
 * <p>Thread-safe; {@link #attempt} may block its caller while its address has {@code limit} checks
 * under way (at most two seconds, then it is refused). The window's time comes from
 * the {@link Ticker} given, so tests move it instead of waiting.
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

    /** How long a reservation waits for others from its address to settle before it is refused. */
    private static final long RESERVE_WAIT_MS = 2_000;

    private final String what;
    private final int limit;
    private final long windowNanos;
    private final Ticker ticker;
    private final Map<String, Tally> tallies;
    private final Map<String, Integer> checking = new HashMap<>();
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
     * Reserves a check of the secret from {@code address}, or refuses it: see {@link Attempt#refused()}.
     * Waits while {@code limit} checks from the same address are under way. Settle the attempt once
     * the secret is checked, in a {@code try}-with-resources block.
     */
    public Attempt attempt(InetAddress address) {
        String key = key(address);
        Optional<Duration> refused = reserve(key);
        return new Attempt(key, refused);
    }

    /**
     * How an address is kept: an IPv4 address as it is, an IPv6 one as its /64 prefix
     * ({@code 2001:db8:0:0:0:0:0:0/64}), an IPv4-mapped IPv6 one as its IPv4 address.
     */
    static String key(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return address.getHostAddress();
        }
        if (ipv4Mapped(bytes)) {
            return (bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "." + (bytes[14] & 0xff) + "." + (bytes[15] & 0xff);
        }
        StringBuilder prefix = new StringBuilder(40);
        for (int i = 0; i < 8; i += 2) {
            prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)))
                    .append(':');
        }
        return prefix.append("0:0:0:0/64").toString();
    }

    private static boolean ipv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    /** How many addresses are remembered now. */
    public synchronized int remembered() {
        return tallies.size();
    }

    private synchronized Optional<Duration> reserve(String key) {
        long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RESERVE_WAIT_MS);
        while (true) {
            Tally tally = liveTally(key);
            int failures = tally == null ? 0 : tally.failures;
            if (failures >= limit) {
                return Optional.of(retryAfter(tally));
            }
            int underWay = checking.getOrDefault(key, 0);
            if (failures + underWay < limit) {
                checking.put(key, underWay + 1);
                return Optional.empty();
            }
            long left = giveUp - System.nanoTime();
            if (left <= 0) { // checks that never settle: refuse rather than wait forever
                return Optional.of(Duration.ofSeconds(1));
            }
            waitFor(left);
        }
    }

    private void waitFor(long nanos) {
        try {
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to check a " + what, e);
        }
    }

    private Tally liveTally(String key) {
        Tally tally = tallies.get(key);
        if (tally != null && ticker.nanoTime() - tally.started >= windowNanos) {
            tallies.remove(key);
            return null;
        }
        return tally;
    }

    private Duration retryAfter(Tally tally) {
        long left = tally.started + windowNanos - ticker.nanoTime();
        return Duration.ofSeconds(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(left + 999_999_999L)));
    }

    private synchronized void settle(String key, boolean failed) {
        int underWay = checking.getOrDefault(key, 0);
        if (underWay <= 1) {
            checking.remove(key);
        } else {
            checking.put(key, underWay - 1);
        }
        if (failed) {
            count(key);
        }
        notifyAll();
    }

    private void count(String key) {
        long now = ticker.nanoTime();
        Tally tally = liveTally(key);
        if (tally == null) {
            tally = new Tally(now);
            tallies.put(key, tally);
        }
        tally.failures++;
        if (tally.failures == limit) {
            blocked(key, now);
        }
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

    /**
     * One check of the secret from one address: refused, or reserved until settled. Not thread-safe:
     * it belongs to the request that checks.
     */
    public final class Attempt implements AutoCloseable {
        private final String key;
        private final Optional<Duration> refused;
        private boolean settled;

        private Attempt(String key, Optional<Duration> refused) {
            this.key = key;
            this.refused = refused;
            this.settled = refused.isPresent();
        }

        /**
         * If the address is refused: how long until it will not be (at least a second, for a
         * {@code Retry-After} header). Empty when the secret may be checked.
         */
        public Optional<Duration> refused() {
            return refused;
        }

        /** The secret was wrong: counted against the address; the failure that reaches the limit is logged. */
        public void failed() {
            if (!settled) {
                settled = true;
                settle(key, true);
            }
        }

        /** Settles the attempt without a failure (the secret was right, or it was not checked) unless {@link #failed} did. */
        @Override
        public void close() {
            if (!settled) {
                settled = true;
                settle(key, false);
            }
        }
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
