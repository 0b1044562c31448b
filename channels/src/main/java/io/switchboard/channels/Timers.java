/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import io.switchboard.session.Session;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A connection's timers: the server's pings, and the checks that end a connection or a subscription
 * whose token expired without a refresh. A check runs on a virtual thread of its own under the
 * connection's lock, so it never overlaps the handler's callbacks.
 */
final class Timers {

    private final Context context;

    Timers(Context context) {
        this.context = context;
    }

    /** Sends the protocol's ping ({@code {}}) every ping interval; the client answers {@code {}}. */
    void startPings(Session session, ClientState state) {
        long every = context.pingInterval().toMillis();
        state.ping =
                context.timers().scheduleAtFixedRate(() -> session.send("{}"), every, every, TimeUnit.MILLISECONDS);
    }

    /** Closes the connection as {@link DisconnectCode#STALE} if it has not connected within the connect timeout. */
    void staleAfterConnectTimeout(Session session, ClientState state) {
        state.expiry = context.timers()
                .schedule(
                        () -> Thread.ofVirtual()
                                .start(() -> locked(state, () -> {
                                    if (!state.connected) {
                                        state.closing = true;
                                        session.close(DisconnectCode.STALE.code(), DisconnectCode.STALE.reason());
                                    }
                                })),
                        context.connectTimeout().toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    /** Runs {@code check} under the connection's lock once {@code expiresAt} and the grace are past. */
    ScheduledFuture<?> at(long expiresAt, ClientState state, Runnable check) {
        long delay = (expiresAt - context.nowSeconds()) * 1000
                + context.expiryGrace().toMillis();
        return context.timers()
                .schedule(
                        () -> Thread.ofVirtual().start(() -> locked(state, check)),
                        Math.max(0, delay),
                        TimeUnit.MILLISECONDS);
    }

    private static void locked(ClientState state, Runnable check) {
        state.lock.lock();
        try {
            if (!state.closing) {
                check.run();
            }
        } finally {
            state.lock.unlock();
        }
    }

    /** Whether {@code expiresAt} (with the grace) is past. */
    boolean expired(long expiresAt) {
        return expiresAt > 0
                && context.nowSeconds() * 1000
                        >= expiresAt * 1000 + context.expiryGrace().toMillis();
    }

    /** Stops every timer of the connection. */
    static void stop(ClientState state) {
        if (state.ping != null) {
            state.ping.cancel(false);
        }
        if (state.expiry != null) {
            state.expiry.cancel(false);
        }
        state.subscriptionExpiries.values().forEach(timer -> timer.cancel(false));
        state.subscriptionExpiries.clear();
    }
}
