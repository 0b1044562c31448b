/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

import java.util.concurrent.CompletionStage;

/**
 * What a session needs of the engine: the {@link Hub} to send through, and joining and leaving groups
 * on behalf of one of this node's members. Every engine is one; the session implementation depends
 * on this interface, not on the engine package, which builds on this one.
 *
 * <p>Thread-safe; no method blocks. {@link #join} and {@link #leave} are idempotent per (group,
 * address) and decide {@link MembershipChange#userPresenceChanged()} atomically, so that two tabs of
 * one user joining at once never both see themselves as first.
 */
public interface Membership extends Hub {

    /** {@code member}, a session of this node, joins {@code group}. */
    CompletionStage<MembershipChange> join(String group, MemberInfo member);

    /** {@code member}, a session of this node, leaves {@code group}. */
    CompletionStage<MembershipChange> leave(String group, MemberInfo member);
}
