/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

/**
 * What a join or leave changed for the session's user in that group, decided atomically by the
 * engine so that two tabs joining at once never both see themselves as first.
 *
 * @param userPresenceChanged on join: this is the user's first session in the group; on leave: it
 *     was the user's last. Always {@code false} for anonymous sessions.
 * @param userSessions how many sessions of the user are in the group after the change
 */
public record MembershipChange(boolean userPresenceChanged, int userSessions) {

    /** Nothing changed (an anonymous session, or a repeated join or leave). */
    public static final MembershipChange NONE = new MembershipChange(false, 0);
}
