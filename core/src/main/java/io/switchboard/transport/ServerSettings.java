/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport;

import io.switchboard.engine.Engine;
import io.switchboard.routing.Router;
import io.switchboard.security.Authenticator;
import io.switchboard.security.Tls;
import io.switchboard.settings.Limits;
import io.switchboard.time.Ticker;
import java.util.Objects;

/**
 * What {@link NettyServer} is started with.
 *
 * @param host the address to bind
 * @param port the port to bind, 0 for any
 * @param router the routes
 * @param limits the limits
 * @param engine the engine
 * @param authenticator the authenticator
 * @param ioThreads how many event loops
 * @param nodeId this node's id
 * @param tls the certificate for {@code https://} and {@code wss://}, or {@code null} for plain TCP
 * @param ticker the clock timeouts are measured on ({@link Ticker#SYSTEM} but in tests)
 * @param counting whether the server counts its traffic ({@link io.switchboard.stats.ServerStats})
 */
public record ServerSettings(
        String host,
        int port,
        Router router,
        Limits limits,
        Engine engine,
        Authenticator authenticator,
        int ioThreads,
        String nodeId,
        Tls tls,
        Ticker ticker,
        boolean counting) {

    public ServerSettings {
        Objects.requireNonNull(ticker, "ticker");
    }
}
