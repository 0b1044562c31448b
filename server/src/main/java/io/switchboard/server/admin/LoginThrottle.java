package io.switchboard.server.admin;

import java.time.Duration;

/**
 * What slows down an address that keeps failing to log in: the admin page asks it before checking a
 * password and tells it each outcome.
 */
interface LoginThrottle {

    /** How long {@code address} must still wait before its next attempt is checked; zero when it may try now. */
    Duration waitFor(String address);

    /** {@code address} gave a wrong password. */
    void failed(String address);

    /** {@code address} gave the right one. */
    void succeeded(String address);
}
