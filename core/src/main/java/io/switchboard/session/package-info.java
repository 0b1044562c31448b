/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The handler API: {@link io.switchboard.session.WebSocketHandler}, its lambda form
 * {@link io.switchboard.session.Handlers} and its JSON form {@link io.switchboard.session.JsonHandler};
 * the {@link io.switchboard.session.Session} a handler talks to and the
 * {@link io.switchboard.session.Hub} it sends to groups, users and other sessions through; and the
 * values they exchange (scope, messages, events, close statuses, addresses, users, membership
 * changes, the {@linkplain io.switchboard.session.Groups group name rule}).
 *
 * <p>Everything else in Switchboard builds on this package, and it builds on nothing but the JSON
 * mapper: engines implement the hub and {@link io.switchboard.session.Membership} (what a session
 * needs of its engine), authenticators name the user, the transport implements the session.
 */
package io.switchboard.session;
