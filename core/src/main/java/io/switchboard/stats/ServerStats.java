/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.stats;

import java.util.Map;

/**
 * What a server has counted since it started: cumulative counts, never reset, plus the connections
 * open now. Thread-safe; each number is read on its own (a scrape reads them one after another, not as
 * one snapshot). When counting is off ({@code Server.Builder.stats(false)}) every count stays 0 and
 * only {@link #openConnections()} moves.
 *
 * <p>"Messages" are WebSocket data messages (text or binary, however many frames they came in);
 * "bytes" their payload before compression, without framing or control frames.
 */
public interface ServerStats {

    /** Whether this server counts; when not, every count below is 0 except {@link #openConnections()}. */
    boolean enabled();

    /**
     * WebSocket sessions open now: from the upgrade until the handler's {@code onDisconnect} has
     * returned. A close is counted earlier, when TCP closes, so this may exceed {@link
     * #connectionsOpened()} less the closes by the sessions whose {@code onDisconnect} still runs.
     */
    long openConnections();

    /** WebSocket sessions opened (upgrades completed). */
    long connectionsOpened();

    /**
     * Closed sessions by close code: the code sent or received in the closing handshake, 1006 when the
     * connection ended without one. Codes 1000–1015 and codes the server itself sent are counted
     * under their own value; a code a peer chose outside 1000–1015 is counted under 0 ("other"), so a
     * client cannot make up new keys. Only codes seen so far are present.
     */
    Map<Integer, Long> closedByCode();

    /** Handshakes refused, by reason; every reason present (0 when none happened). */
    Map<Refusal, Long> refusedByReason();

    /** Data messages received from clients. */
    long messagesIn();

    /** Payload bytes of {@link #messagesIn()}. */
    long bytesIn();

    /**
     * Data messages written to clients, broadcast deliveries included: counted when handed to the
     * connection's channel, before the flush, so the count never lags what a client has received. A
     * message a handler sent that was never written (dropped by the slow-consumer policy, overtaken
     * by a close, or held for an upgrade that was refused) is not counted.
     */
    long messagesOut();

    /** Payload bytes of {@link #messagesOut()}. */
    long bytesOut();

    /**
     * Group broadcasts written to members: one per member per broadcast written (a part of {@link
     * #messagesOut()}); a member left out by the broadcast's {@code except}, or one that was dropped
     * or conflated away, is not a delivery.
     */
    long deliveries();

    /** Sessions closed for being slow consumers (1008 or 1013). */
    long slowConsumerCloses();

    /** Messages dropped for a slow consumer under the drop policy (or conflated away). */
    long slowConsumerDrops();

    /** Messages over the rate limit (dropped, or the one that closed the session). */
    long rateLimited();
}
