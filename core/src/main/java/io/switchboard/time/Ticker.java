package io.switchboard.time;

/**
 * A monotonic source of nanoseconds, read wherever a timeout or a rate is measured (heartbeat,
 * handshake and close timeouts, drain, rate limit), so that tests move time instead of waiting
 * for it. Only differences between two readings mean anything, as with {@link System#nanoTime()}.
 */
@FunctionalInterface
public interface Ticker {

    /** The system's monotonic clock. */
    Ticker SYSTEM = System::nanoTime;

    /** The current reading in nanoseconds. */
    long nanoTime();
}
