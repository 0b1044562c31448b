package io.switchboard.server.admin;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admin page's {@link LoginThrottle} until the shared one is wired: after three failures in a row
 * an address waits 1 s before its next attempt is checked, doubling with each further failure up to a
 * minute; a success, or 15 minutes without a failure, forgets it. Remembers at most 10,000
 * addresses, so a flood of them cannot grow memory.
 */
final class Backoff implements LoginThrottle {

    static final int FREE_FAILURES = 3;
    static final Duration LONGEST = Duration.ofMinutes(1);
    static final Duration FORGET = Duration.ofMinutes(15);
    static final int MAX_ADDRESSES = 10_000;

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    Backoff(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Duration waitFor(String address) {
        Failures seen = failures.get(address);
        if (seen == null || seen.count() < FREE_FAILURES) {
            return Duration.ZERO;
        }
        long doubling = Math.min(seen.count() - FREE_FAILURES, 6);
        Duration pause = Duration.ofSeconds(1L << doubling);
        Duration wait =
                Duration.ofMillis(seen.lastMillis() + min(pause, LONGEST).toMillis() - clock.millis());
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    @Override
    public void failed(String address) {
        long now = clock.millis();
        if (failures.size() >= MAX_ADDRESSES) {
            failures.values().removeIf(f -> now - f.lastMillis() > FORGET.toMillis());
        }
        if (failures.size() < MAX_ADDRESSES || failures.containsKey(address)) {
            failures.merge(
                    address,
                    new Failures(1, now),
                    (old, one) -> new Failures(now - old.lastMillis() > FORGET.toMillis() ? 1 : old.count() + 1, now));
        }
    }

    @Override
    public void succeeded(String address) {
        failures.remove(address);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private record Failures(int count, long lastMillis) {}
}
