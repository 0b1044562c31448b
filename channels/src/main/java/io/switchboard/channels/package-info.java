/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * General channels: Centrifugo's client protocol (JSON, protocol v2 as the {@code centrifuge} npm
 * client 5.x speaks it) on a route of the framework, its server API as Java ({@link
 * io.switchboard.channels.ChannelsApi}), and namespaces, over the engine (groups, presence, delivery
 * on every node) and the history (numbered publications per channel, for recovery).
 *
 * <h2>Mounting</h2>
 *
 * <pre>{@code
 * Channels channels = Channels.builder().history(history).namespaces(namespaces).tokens(verifier).build();
 * Server server = Server.builder().router(channels.router()).engine(engine).start(); // or mount channels.handlers() on Channels.PATH
 * channels.start(server);
 * }</pre>
 *
 * <h2>The wire</h2>
 *
 * <p>A client frame holds commands, one JSON object per line, each with an {@code id} (but {@code
 * send}) and one method field; the replies to one frame go out as one frame, one per line. An empty
 * object is the client's pong to the server's ping {@code {}}. A publication is stored in the
 * history as its own push frame, {@code {"push":{"channel":C,"pub":{"data":..,"info":..,"tags":..,
 * "epoch":E,"offset":N}}}}, broadcast once to the channel's group; history replies and recovery slice
 * the {@code pub} object out of the stored frames. Every publication goes out through {@code
 * Publications.deliver}.
 *
 * <h2>Codes</h2>
 *
 * <p>Error replies use {@link io.switchboard.channels.ErrorCode} (100-112, as the centrifuge server
 * library's {@code errors.go}; 100 and 111 are {@code temporary}, so the client retries). Close codes
 * are {@link io.switchboard.channels.DisconnectCode} ({@code disconnect.go}): 3001 shutdown, 3004
 * internal error, 3005 connection expired, 3011 force reconnect (clients come back), 3500 invalid
 * token, 3501 bad request, 3502 stale, 3503 force disconnect, 3507 permission denied (they do not).
 * Unsubscribe pushes use 2000 (server unsubscribe: the client stays unsubscribed) and 2501
 * (subscription expired: the client subscribes again with a fresh token), as {@code unsubscribe.go}.
 *
 * <h2>What differs from Centrifugo</h2>
 *
 * <ul>
 *   <li>Presence reports client ids and users, without {@code conn_info}/{@code chan_info}; those
 *       travel in publications and join/leave pushes only.
 *   <li>{@code channels} and {@code info} answer for this node; {@code history_remove} is not
 *       available (a history expires with its time to live).
 *   <li>Expired tokens end a connection (3005) or a subscription (unsubscribe 2501) a grace period
 *       after {@code exp} (25 s by default), as Centrifugo's close delay.
 * </ul>
 */
package io.switchboard.channels;
