/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.settings;

/**
 * How much the server takes in before it refuses: WebSocket connections in all and per address, and
 * the body of a plain HTTP request.
 *
 * @param maxConnections open WebSocket connections on this server, at most; an upgrade over it gets
 *     503. Default 100,000
 * @param maxConnectionsPerAddress open WebSocket connections from one remote IP address, at most; an
 *     upgrade over it gets 429. Default 1,000 (a lot of people behind one NAT still fit)
 * @param maxHttpBodyBytes largest plain HTTP request body; a bigger one gets 413. Default 1 MiB
 */
public record Capacity(int maxConnections, int maxConnectionsPerAddress, int maxHttpBodyBytes) {

    static final Capacity DEFAULTS = new Capacity(100_000, 1_000, 1024 * 1024);

    public Capacity {
        Check.atLeastOne("maxConnections", maxConnections);
        Check.atLeastOne("maxConnectionsPerAddress", maxConnectionsPerAddress);
        Check.atLeastOne("maxHttpBodyBytes", maxHttpBodyBytes);
    }

    public Capacity withMaxConnections(int value) {
        return new Capacity(value, maxConnectionsPerAddress, maxHttpBodyBytes);
    }

    public Capacity withMaxConnectionsPerAddress(int value) {
        return new Capacity(maxConnections, value, maxHttpBodyBytes);
    }

    public Capacity withMaxHttpBodyBytes(int value) {
        return new Capacity(maxConnections, maxConnectionsPerAddress, value);
    }
}
