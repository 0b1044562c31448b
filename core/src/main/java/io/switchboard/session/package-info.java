/**
 * The handler API: {@link io.switchboard.session.WebSocketHandler} and its lambda form
 * {@link io.switchboard.session.Handlers}, the {@link io.switchboard.session.Session} a handler
 * talks to, and the values they exchange (scope, messages, close statuses, events).
 */
package io.switchboard.session;
