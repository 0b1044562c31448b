/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link WebSocketHandler#onConnect} decides about a connection before the WebSocket handshake
 * completes: accept it (optionally choosing one of the offered subprotocols) or reject it with an
 * HTTP status, in which case no WebSocket is ever opened.
 */
public sealed interface Decision permits Decision.Accept, Decision.Reject {

    /** Accept without a subprotocol. */
    static Decision accept() {
        return Accept.PLAIN;
    }

    /** Accept and answer with {@code subprotocol}, which must be one the client offered. */
    static Decision accept(String subprotocol) {
        return new Accept(Optional.of(subprotocol));
    }

    /** Refuse the upgrade with an HTTP status (400-599) and a one-line reason sent as the body. */
    static Decision reject(int status, String reason) {
        return new Reject(status, reason);
    }

    /**
     * The connection is accepted.
     *
     * @param subprotocol the chosen subprotocol, if any
     */
    record Accept(Optional<String> subprotocol) implements Decision {
        static final Accept PLAIN = new Accept(Optional.empty());

        public Accept {
            Objects.requireNonNull(subprotocol, "subprotocol");
        }
    }

    /**
     * The connection is refused before the upgrade.
     *
     * @param status an HTTP status from 400 to 599
     * @param reason one line of text for the response body
     */
    record Reject(int status, String reason) implements Decision {
        public Reject {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("a rejection needs an HTTP status from 400 to 599, not " + status);
            }
            Objects.requireNonNull(reason, "reason");
            if (reason.indexOf('\n') >= 0 || reason.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("a rejection reason is one line");
            }
        }
    }
}
