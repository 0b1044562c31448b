/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.engine;

import io.switchboard.session.MemberInfo;
import io.switchboard.session.MembershipChange;

/**
 * An optional capability of an {@link Engine}: it removes members on its own, not only when their
 * session leaves, and says so. The Redis engine does this for the sessions of a node that died
 * without saying goodbye; the in-memory engine never needs to, so it does not implement this.
 *
 * <p>An application that tells others about departures (a chat's {@code leave}) registers a
 * listener, found with {@code if (hub instanceof Departures departures)}:
 *
 * <pre>{@code
 * if (server.hub() instanceof Departures departures) {
 *     departures.onDeparture((group, member, change) -> {
 *         if (change.userPresenceChanged()) {
 *             server.hub().broadcast(group, Message.text(member.user() + " left"));
 *         }
 *     });
 * }
 * }</pre>
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>Each member the engine removes is reported exactly once in the whole cluster: on one node,
 *       to every listener registered there. A member that left through {@link Engine#leave} is never
 *       reported.
 *   <li>The {@link MembershipChange} is decided as atomically as a leave's, so a user with a session
 *       left elsewhere is reported with {@code userPresenceChanged() == false}.
 *   <li>Listeners run one at a time on an engine thread; they must not block.
 * </ul>
 */
public interface Departures {

    /** Calls {@code listener} for every member this engine removes on its own, from now on. */
    void onDeparture(Listener listener);

    /** Told about one member the engine removed from one group. */
    @FunctionalInterface
    interface Listener {

        /**
         * {@code member} is no longer in {@code group}; {@code change} says whether that was its user's
         * last session there.
         */
        void departed(String group, MemberInfo member, MembershipChange change);
    }
}
