/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.fanout;

import io.netty.util.concurrent.EventExecutor;
import io.switchboard.session.Address;
import io.switchboard.session.Event;
import io.switchboard.session.internal.ConnectionSession;
import io.switchboard.transport.websocket.Batched;

/**
 * A connection as fan-out sees it: what the {@link LocalRegistry} and each {@link Shard} ask of it.
 * The connection lives above this package and implements it, so that fan-out never depends on the
 * Netty wiring of a connection.
 *
 * <p>Threads: {@link #writeBatched}, {@link #flushBatch} and {@link #deliver} run on {@link
 * #eventLoop()}; the rest on any thread.
 */
public interface Member {

    /** The session's address, the key by which the registry finds it. */
    Address address();

    /** The session the handler talks to: its user, and where a direct send or a close goes. */
    ConnectionSession session();

    /** The loop that owns the connection's channel, and so the shard it belongs to. */
    EventExecutor eventLoop();

    /** Whether the connection agreed permessage-deflate, so broadcasts are worth compressing. */
    boolean deflates();

    /** Whether the connection has closed or was refused; it takes no more group membership. */
    boolean isFinished();

    /**
     * Writes a shared broadcast frame without a flush, and says whether it did, and whether first in
     * this batch. A keyed one (latest-value conflation) may be held instead, as its key's newest
     * value, while the connection is backed up: then not written (it is counted when it goes out).
     */
    Batched writeBatched(Shard.Broadcast broadcast);

    /** Ends a broadcast batch: one flush for everything written in it. */
    void flushBatch();

    /** A group event for the session's handler. */
    void deliver(Event event);
}
