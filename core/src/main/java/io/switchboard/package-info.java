/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Switchboard: a real-time WebSocket server and framework on Netty.
 *
 * <h2>Glossary</h2>
 *
 * <p>The whole framework rests on a few words. Each names one type, and none clashes with Netty's or
 * the JDK's.
 *
 * <dl>
 *   <dt>{@linkplain io.switchboard.session.Scope scope}
 *   <dd>What is known about a connection before it is accepted: path and its parameters, query,
 *       headers, cookies, remote address, requested subprotocols. Immutable.
 *   <dt>{@linkplain io.switchboard.session.WebSocketHandler handler}
 *   <dd>The code that serves one WebSocket connection: {@code onConnect}, {@code onText},
 *       {@code onBinary}, {@code onEvent}, {@code onDisconnect}. One instance per connection (what
 *       Django Channels calls a consumer).
 *   <dt>{@linkplain io.switchboard.session.Session session}
 *   <dd>One open connection as the handler sees it: send, close, join groups.
 *   <dt>{@linkplain io.switchboard.session.Address address}
 *   <dd>The unique name of one session across every node (Channels' channel name).
 *   <dt>group
 *   <dd>A named set of addresses. Sending to a group reaches every member on every node.
 *   <dt>{@linkplain io.switchboard.session.User user}
 *   <dd>The authenticated identity of a session; every open session of a user is reachable by the
 *       user's name.
 *   <dt>{@linkplain io.switchboard.engine.Engine engine}
 *   <dd>What carries group, address and user sends between nodes and keeps presence (Channels'
 *       channel layer). In memory by default; Redis for many nodes.
 *   <dt>{@linkplain io.switchboard.session.Hub hub}
 *   <dd>The sending side of the engine as handlers and applications use it: it belongs to the
 *       handler's vocabulary (package {@code session}), and every engine implements it.
 *   <dt>broadcast / event
 *   <dd>The two kinds of group send: a broadcast is one frame encoded once and written to every
 *       member's socket; an event is delivered to every member's handler, which decides what to do.
 *   <dt>latest value (conflation)
 *   <dd>A broadcast with a key ({@link io.switchboard.session.Hub#broadcastLatest}): a member whose
 *       outbound buffer is backed up keeps only the newest message of each key, and counts the ones
 *       it skipped ({@link io.switchboard.session.Session#conflated()}).
 *   <dt>{@linkplain io.switchboard.routing.Router router}
 *   <dd>An immutable table from path patterns to HTTP and WebSocket handlers. Routers nest.
 *   <dt>{@linkplain io.switchboard.settings.Limits limits}
 *   <dd>Every bound the server enforces against mistakes and abuse (sizes, buffers, timeouts,
 *       heartbeats, connection counts, the {@linkplain io.switchboard.settings.RateLimit rate limit}, the
 *       origin allow-list), each with a default; a route may set its own rate limit and origins
 *       with {@linkplain io.switchboard.routing.WebSocketOptions options}.
 * </dl>
 *
 * <h2>Packages</h2>
 *
 * <p>Each package depends only on those listed before it, never back (a test holds core to that):
 *
 * <ol>
 *   <li>{@code time} and {@code json}: the ticker and the JSON mapper; Switchboard-free.
 *   <li>{@code session}: the handler's vocabulary: handlers, the session, the hub, messages, events,
 *       addresses, users, close statuses; below it, {@code session.internal}, the one implementation
 *       of a session, which only the transport and the testkit reach.
 *   <li>{@code security} (who connects: authenticators, origin and host checks, the TLS
 *       certificate), {@code http} (plain requests), {@code blocking} (the blocking style).
 *   <li>{@code settings}: limits and rate limits; then {@code engine} (carries what the hub sends
 *       between nodes) and {@code routing} (routes and their options).
 *   <li>{@code transport}: Netty, and the only package that sees it (with its subpackages). Not an
 *       API. At its bottom {@code transport.websocket} (the protocol pieces of one connection), then
 *       {@code transport.fanout} (the node's registry and broadcast shards) and {@code
 *       transport.http} (request checks and responses), and {@code transport} itself on top, which
 *       wires them into the server.
 *   <li>{@code io.switchboard}: the entry point, {@link io.switchboard.Server}, which wires them.
 * </ol>
 *
 * <p>Start with {@link io.switchboard.Server}.
 */
package io.switchboard;
