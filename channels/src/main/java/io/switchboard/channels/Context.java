/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every client connection of one {@link Channels} shares.
 *
 * @param namespaces each channel's options
 * @param publications where publications go out and the history is read
 * @param tokens connection and subscription tokens
 * @param hooks rpc and send
 * @param local this node's counts
 * @param clock the time tokens expire by
 * @param timers runs pings and expiry checks
 * @param maxSubscriptions most channels one connection may be subscribed to
 * @param pingInterval how often the server pings an idle client
 * @param anonymous whether a connection without a token is accepted (as user "")
 * @param expiryGrace how long after its token's {@code exp} a connection or subscription that was not
 *     refreshed is ended: clients refresh when the token's time is up, not before
 * @param connectTimeout how long a connection may stay open without a connect command
 */
record Context(
        Namespaces namespaces,
        Publications publications,
        Tokens tokens,
        ClientHooks hooks,
        LocalChannels local,
        Clock clock,
        ScheduledExecutorService timers,
        int maxSubscriptions,
        Duration pingInterval,
        boolean anonymous,
        Duration expiryGrace,
        Duration connectTimeout) {

    /** Now, in epoch seconds, as token {@code exp} claims count. */
    long nowSeconds() {
        return clock.instant().getEpochSecond();
    }

    /** Seconds left until {@code expiresAt} (at least 1), for a reply's {@code ttl}. */
    long ttl(long expiresAt) {
        return Math.max(1, expiresAt - nowSeconds());
    }
}
