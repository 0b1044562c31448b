/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * Inbound flow control: counts the bytes of messages queued for the handler, stops reading from the
 * socket when they pass the inbound buffer limit and starts again once the handler is down to half.
 * A close that waits for the handler also stops reading ({@link #hold()}); reading resumes only when
 * neither reason remains. This is the one owner of the channel's auto-read while the connection is
 * open.
 *
 * <p>Threads: the event loop queues, pauses, holds and releases; the handler's thread (a virtual
 * thread, or the loop) reports what it took. The pause flag is volatile so that the two agree.
 */
public final class InboundFlow {

    /** Turns reading from the socket on or off; called on the event loop. */
    @FunctionalInterface
    public interface Valve {
        void reading(boolean on);
    }

    private final long limit;
    private final Valve valve;
    private final Executor loop;
    /** Bytes queued for the handler: a field updated in place, not an object per connection. */
    private static final AtomicLongFieldUpdater<InboundFlow> QUEUED =
            AtomicLongFieldUpdater.newUpdater(InboundFlow.class, "queued");

    private volatile long queued;
    private volatile boolean paused;
    /** A close waits for the handler: nothing read meanwhile would be used. Loop only. */
    private boolean held;

    public InboundFlow(long limit, Valve valve, Executor loop) {
        this.limit = limit;
        this.valve = valve;
        this.loop = loop;
    }

    /** A message of {@code size} bytes was queued for the handler. On the loop. */
    void queued(int size) {
        if (QUEUED.addAndGet(this, size) > limit && !paused) {
            pause();
        }
    }

    /**
     * The pause writes the flag and then re-reads the count; {@link #taken} writes the count and
     * then reads the flag, so one of the two always sees the other and reading never stays paused
     * with an empty backlog.
     */
    private void pause() {
        paused = true;
        valve.reading(false);
        if (queued <= limit / 2) {
            resume();
        }
    }

    /** The handler took a message of {@code size} bytes. Any thread. */
    void taken(int size) {
        if (QUEUED.addAndGet(this, -size) <= limit / 2 && paused) {
            Loops.execute(loop, this::resume);
        }
    }

    private void resume() {
        if (paused && queued <= limit / 2) {
            paused = false;
            if (!held) {
                valve.reading(true);
            }
        }
    }

    /**
     * The handshake is done: reading starts, unless the frames that came with the upgrade request
     * already filled the backlog or made a close wait. On the loop.
     */
    public void start() {
        if (!paused && !held) {
            valve.reading(true);
        }
    }

    /** Whether reading is paused because the handler is behind. */
    boolean paused() {
        return paused;
    }

    /** Whether the backlog is twice the limit: group events are then dropped rather than queued. */
    boolean overloaded() {
        return queued > 2 * limit;
    }

    /** Stops reading while a close waits for the handler. On the loop. */
    void hold() {
        held = true;
        valve.reading(false);
    }

    /** The close went out: read again (for the peer's answer) unless the backlog still says no. On the loop. */
    void release() {
        held = false;
        if (!paused) {
            valve.reading(true);
        }
    }
}
