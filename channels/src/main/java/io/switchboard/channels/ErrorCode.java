/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

/**
 * The error codes of Centrifugo's client protocol and server API, as {@code {"code":N,"message":"..."}}
 * in a reply. Clients act on some of them: a {@code TOKEN_EXPIRED} makes a client fetch a fresh
 * token and try again, an {@code UNRECOVERABLE_POSITION} makes it subscribe without recovering.
 */
public enum ErrorCode {
    INTERNAL(100, "internal server error"),
    UNAUTHORIZED(101, "unauthorized"),
    UNKNOWN_CHANNEL(102, "unknown channel"),
    PERMISSION_DENIED(103, "permission denied"),
    METHOD_NOT_FOUND(104, "method not found"),
    ALREADY_SUBSCRIBED(105, "already subscribed"),
    LIMIT_EXCEEDED(106, "limit exceeded"),
    BAD_REQUEST(107, "bad request"),
    NOT_AVAILABLE(108, "not available"),
    TOKEN_EXPIRED(109, "token expired"),
    EXPIRED(110, "expired"),
    TOO_MANY_REQUESTS(111, "too many requests"),
    UNRECOVERABLE_POSITION(112, "unrecoverable position");

    private final int code;
    private final String message;

    ErrorCode(int code, String message) {
        this.code = code;
        this.message = message;
    }

    /** The number on the wire. */
    public int code() {
        return code;
    }

    /** The protocol's message for it. */
    public String message() {
        return message;
    }
}
