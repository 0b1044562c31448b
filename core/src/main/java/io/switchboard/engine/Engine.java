/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.engine;

import io.switchboard.session.Hub;
import io.switchboard.session.MemberInfo;
import io.switchboard.session.Membership;
import java.util.concurrent.CompletionStage;

/**
 * Carries sends between nodes and keeps presence: the channel layer. The server owns one engine;
 * {@link InMemoryEngine} is the default and a Redis engine runs many nodes. Nothing outside the
 * engines knows which one runs, and one contract test suite holds every engine to the same rules.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>Everything {@link Hub} and {@link Membership} promise, across every node attached to the
 *       same engine.
 *   <li>A member is reported by {@link Hub#members} from the moment its join completes until its
 *       leave completes.
 *   <li>Sends never fail because one member is gone or slow.
 * </ul>
 *
 * <p>The server calls {@link #start} once, then {@link #connected}/{@link #disconnected} around each
 * session's life and {@link #join}/{@link #leave} for its groups (the server already keeps local
 * membership; the engine learns it to route and to report presence), and {@link #close} last.
 */
public interface Engine extends Membership, AutoCloseable {

    /** Attaches this engine to the node it delivers into. Called once, before any other method. */
    void start(LocalNode node);

    /**
     * A session of this node opened. Completes once every node can reach it by address and user; the
     * server does not wait (the session's own sends work at once), tests and tools may.
     */
    CompletionStage<Void> connected(MemberInfo member);

    /** A session of this node closed; it has already left its groups. */
    void disconnected(MemberInfo member);

    /** Detaches from the node and releases what the engine holds. */
    @Override
    void close();
}
