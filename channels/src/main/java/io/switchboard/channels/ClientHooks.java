/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What Java code does with a client's {@code rpc} and {@code send} commands. Both run on the
 * connection's handler thread (a virtual thread: they may block), one command at a time per
 * connection. By default an rpc is {@link ErrorCode#METHOD_NOT_FOUND} and a send is ignored.
 */
public interface ClientHooks {

    /** No hooks: every rpc is method not found. */
    ClientHooks NONE = new ClientHooks() {};

    /**
     * Answers an rpc with the reply's {@code data} (any JSON value, or null for none). Throw a {@link
     * ChannelsException} to answer with its error instead; any other exception is an internal error.
     */
    default JsonNode rpc(Caller caller, String method, JsonNode data) {
        throw new ChannelsException(ErrorCode.METHOD_NOT_FOUND);
    }

    /** Receives an asynchronous message, which has no reply. */
    default void send(Caller caller, JsonNode data) {}

    /**
     * The connection that called.
     *
     * @param client its client id
     * @param user its user ("" when anonymous)
     * @param connInfo its connection token's {@code info}, or null
     */
    record Caller(String client, String user, JsonNode connInfo) {}
}
