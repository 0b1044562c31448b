/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.settings;

import java.time.Duration;

/**
 * How long the server waits for a client, and for itself at shutdown.
 *
 * @param handshakeTimeout how long a connection may take to send a complete HTTP request (an upgrade
 *     or a plain one), and may stay silent between keep-alive requests; then it is closed. Against
 *     slowloris. Default 10 s
 * @param pingInterval how long a WebSocket may stay silent before the server pings it; anything the
 *     client sends counts, not only pongs. Default 25 s
 * @param pongTimeout how long after a ping the server waits for anything from the client before it
 *     closes the connection with 1001 ("ping timeout") without waiting for the closing handshake.
 *     Default 20 s
 * @param closeTimeout how long to wait for the client's close frame after sending ours. Default 5 s
 * @param drainTimeout how long {@code Server.close()} waits for connections to finish closing.
 *     Default 5 s
 */
public record Timeouts(
        Duration handshakeTimeout,
        Duration pingInterval,
        Duration pongTimeout,
        Duration closeTimeout,
        Duration drainTimeout) {

    static final Timeouts DEFAULTS = new Timeouts(
            Duration.ofSeconds(10),
            Duration.ofSeconds(25),
            Duration.ofSeconds(20),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5));

    public Timeouts {
        Check.positive("handshakeTimeout", handshakeTimeout);
        Check.positive("pingInterval", pingInterval);
        Check.positive("pongTimeout", pongTimeout);
        Check.positive("closeTimeout", closeTimeout);
        Check.positive("drainTimeout", drainTimeout);
    }

    public Timeouts withHandshakeTimeout(Duration value) {
        return new Timeouts(value, pingInterval, pongTimeout, closeTimeout, drainTimeout);
    }

    public Timeouts withPingInterval(Duration value) {
        return new Timeouts(handshakeTimeout, value, pongTimeout, closeTimeout, drainTimeout);
    }

    public Timeouts withPongTimeout(Duration value) {
        return new Timeouts(handshakeTimeout, pingInterval, value, closeTimeout, drainTimeout);
    }

    public Timeouts withCloseTimeout(Duration value) {
        return new Timeouts(handshakeTimeout, pingInterval, pongTimeout, value, drainTimeout);
    }

    public Timeouts withDrainTimeout(Duration value) {
        return new Timeouts(handshakeTimeout, pingInterval, pongTimeout, closeTimeout, value);
    }
}
