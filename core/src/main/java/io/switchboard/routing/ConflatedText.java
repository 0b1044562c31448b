/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.routing;

/**
 * Rewrites a latest value (see {@code Hub.broadcastLatest}) that a backed-up connection receives in
 * place of older values of its key, so the client can tell how many it missed: a route sets it in
 * its {@link WebSocketOptions}. Applied only to text, and only to a held value that replaced at least
 * one other; every other message goes out as sent, encoded once for all.
 *
 * <p>Runs on the connection's event loop, once per value and connection: it must be quick and must
 * not block. What it throws closes nothing: the value goes out as sent, and the error is logged.
 */
@FunctionalInterface
public interface ConflatedText {

    /**
     * The text to send instead of {@code text}.
     *
     * @param text the newest value of its key, as broadcast
     * @param skipped how many older values of the same key this connection did not receive, at least 1
     */
    String render(String text, int skipped);
}
