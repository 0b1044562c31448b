/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Set;

/**
 * One line of a client's frame, read: a command, the client's pong, or something the protocol
 * cannot read (which ends the connection with {@link DisconnectCode#BAD_REQUEST}).
 */
sealed interface Command {

    /** The methods a client may call, as their field names in a command. */
    Set<String> METHODS = Set.of(
            "connect",
            "subscribe",
            "unsubscribe",
            "publish",
            "presence",
            "presence_stats",
            "history",
            "ping",
            "send",
            "rpc",
            "refresh",
            "sub_refresh");

    /**
     * A call.
     *
     * @param id the client's number for the reply (0 for {@code send}, which has no reply)
     * @param method the method's field name, one of {@link #METHODS}, or null when the command named none known
     * @param body the method's request object (empty when the command had none)
     */
    record Call(long id, String method, ObjectNode body) implements Command {
        public Call {
            Objects.requireNonNull(body, "body");
        }

        /** A call without a request body. */
        static Call bare(long id, String method) {
            return new Call(id, method, JsonNodeFactory.instance.objectNode());
        }

        /** The text field {@code name} of the body, or "" when absent. */
        String text(String name) {
            JsonNode value = body.get(name);
            return value == null || value.isNull() ? "" : value.asText("");
        }

        /** Whether the text field {@code name} is a string (or absent); false for any other kind. */
        boolean isText(String name) {
            JsonNode value = body.get(name);
            return value == null || value.isNull() || value.isTextual();
        }
    }

    /** The client's answer to a server ping: an empty object. */
    record Pong() implements Command {}

    /**
     * A line the protocol cannot read.
     *
     * @param reason why, in a few words, for the log
     */
    record Malformed(String reason) implements Command {}
}
