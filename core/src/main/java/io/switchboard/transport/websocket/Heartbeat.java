/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import io.switchboard.settings.Limits;
import io.switchboard.time.Ticker;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Pings a quiet client and gives up on one that does not answer: a connection silent for the ping
 * interval is pinged, and one that stays silent for the pong timeout after the ping is unresponsive.
 * Anything received counts as an answer, a pong no more than a message. Time is read from the
 * injected {@link Ticker} and the one timer runs on the injected scheduler, so tests move both.
 *
 * <p>Owned by the channel's event loop, which reads every frame and runs every check.
 */
public final class Heartbeat {

    /** What the heartbeat asks of the connection; on the loop. */
    public interface Probe {
        /** Sends a ping. */
        void ping();

        /** The ping went unanswered for {@code pongTimeout} milliseconds: close the connection. */
        void unresponsive(long pongTimeoutMillis);
    }

    /** What a check found. */
    enum Verdict {
        /** Nothing to do: check again after {@link #nextCheckIn()}. */
        WAIT,
        /** Send a ping now, then check again after {@link #nextCheckIn()}. */
        PING,
        /** The ping went unanswered for the pong timeout. */
        TIMEOUT
    }

    private final long pingInterval;
    private final long pongTimeout;
    private final Ticker ticker;
    private final ScheduledExecutorService timers;
    private final Lifecycle lifecycle;
    private final InboundFlow flow;
    private final Probe probe;
    /** When the client last sent anything. */
    private long heardAt;
    /** When we pinged it; 0 when no ping is unanswered. */
    private long pingSentAt;

    private long nextCheckIn;
    /** The one timer: the next check of this connection's silence. */
    private ScheduledFuture<?> timer;

    /**
     * A heartbeat with the ping interval and pong timeout of {@code limits}, for a connection that
     * is checked while {@code lifecycle} is open and whose silence says nothing while {@code flow}
     * has paused reading.
     */
    public Heartbeat(
            Limits limits,
            Ticker ticker,
            ScheduledExecutorService timers,
            Lifecycle lifecycle,
            InboundFlow flow,
            Probe probe) {
        this.pingInterval = limits.timeouts().pingInterval().toNanos();
        this.pongTimeout = limits.timeouts().pongTimeout().toNanos();
        this.ticker = ticker;
        this.timers = timers;
        this.lifecycle = lifecycle;
        this.flow = flow;
        this.probe = probe;
        this.heardAt = ticker.nanoTime();
    }

    /** The connection is open: the first check is due after the ping interval. */
    public void start() {
        heardAt = ticker.nanoTime();
        pingSentAt = 0;
        schedule(pingInterval);
    }

    /** The connection has closed: no more checks. */
    public void stop() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** The client sent something at {@code now}, a reading of the ticker. */
    public void heard(long now) {
        heardAt = now;
    }

    /** How long after the last check the next one is due, in nanoseconds. */
    long nextCheckIn() {
        return nextCheckIn;
    }

    private void schedule(long delay) {
        nextCheckIn = delay;
        timer = timers.schedule(this::run, delay, TimeUnit.NANOSECONDS);
    }

    private void run() {
        if (!lifecycle.open()) {
            return; // closing: the close timeout takes over
        }
        switch (check(ticker.nanoTime(), flow.paused())) {
            case WAIT -> schedule(nextCheckIn);
            case PING -> {
                probe.ping();
                schedule(nextCheckIn);
            }
            case TIMEOUT -> probe.unresponsive(TimeUnit.NANOSECONDS.toMillis(pongTimeout));
        }
    }

    /**
     * Checks the client's silence at {@code now}. While {@code readingPaused} we stopped reading,
     * not the client: its silence says nothing, and the clock restarts.
     */
    Verdict check(long now, boolean readingPaused) {
        if (readingPaused) {
            pingSentAt = 0;
            heardAt = now;
            return waitFor(pingInterval);
        }
        if (pingSentAt != 0 && heardAt - pingSentAt < 0) {
            long waited = now - pingSentAt;
            return waited >= pongTimeout ? Verdict.TIMEOUT : waitFor(pongTimeout - waited);
        }
        pingSentAt = 0;
        long silent = now - heardAt;
        if (silent < pingInterval) {
            return waitFor(pingInterval - silent);
        }
        pingSentAt = now;
        nextCheckIn = pongTimeout;
        return Verdict.PING;
    }

    private Verdict waitFor(long nanos) {
        nextCheckIn = nanos;
        return Verdict.WAIT;
    }
}
