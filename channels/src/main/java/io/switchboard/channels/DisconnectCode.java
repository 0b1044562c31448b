/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

/**
 * The close codes of Centrifugo's client protocol, sent as the WebSocket close frame's code and
 * reason. A client reconnects after codes 3000-3499 and 4000-4499 and stays away after 3500-3999
 * and 4500-4999. Numbers and reasons as the centrifuge server library names them ({@code
 * disconnect.go}).
 */
public enum DisconnectCode {
    /** The server shuts down; come back (to another node). */
    SHUTDOWN(3001, "shutdown"),
    /** Something failed on the server; come back. */
    SERVER_ERROR(3004, "internal server error"),
    /** The connection token expired and was not refreshed in time. */
    EXPIRED(3005, "connection expired"),
    /** The server asked the client to reconnect. */
    FORCE_RECONNECT(3011, "force reconnect"),
    /** The connection token was forged, malformed or for someone else. */
    INVALID_TOKEN(3500, "invalid token"),
    /** A frame the protocol cannot read, or a command out of place. */
    BAD_REQUEST(3501, "bad request"),
    /** No connect command came in time after the connection opened. */
    STALE(3502, "stale"),
    /** The server disconnected the client for good. */
    FORCE_NO_RECONNECT(3503, "force disconnect"),
    /** Not allowed to connect. */
    PERMISSION_DENIED(3507, "permission denied");

    private final int code;
    private final String reason;

    DisconnectCode(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    /** The number on the wire. */
    public int code() {
        return code;
    }

    /** The reason on the wire. */
    public String reason() {
        return reason;
    }

    /** Whether a client comes back after it. */
    public boolean reconnect() {
        return (code >= 3000 && code < 3500) || (code >= 4000 && code < 4500);
    }
}
