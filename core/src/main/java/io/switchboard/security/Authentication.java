/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import io.switchboard.session.User;
import java.util.Objects;
import java.util.Optional;

/** What an {@link Authenticator} decided about an upgrade request. */
public sealed interface Authentication
        permits Authentication.Anonymous, Authentication.Authenticated, Authentication.Rejected {

    /** No identity; the session has no user. */
    static Authentication anonymous() {
        return Anonymous.INSTANCE;
    }

    /** The request belongs to {@code user}. */
    static Authentication user(User user) {
        return new Authenticated(user);
    }

    /**
     * The request belongs to {@code user}, proven by the offered {@code subprotocol} (such as
     * {@code bearer.TOKEN}). The server answers with that subprotocol when the handler picks none,
     * because a browser that offered subprotocols fails a handshake whose answer names none of them.
     */
    static Authentication user(User user, String subprotocol) {
        return new Authenticated(user, Optional.of(subprotocol));
    }

    /** Refuse the upgrade with an HTTP status (usually 401 or 403). */
    static Authentication reject(int status, String reason) {
        return new Rejected(status, reason);
    }

    /** No identity. */
    enum Anonymous implements Authentication {
        INSTANCE
    }

    /**
     * An identified user.
     *
     * @param user who it is
     * @param subprotocol the offered subprotocol that carried the credential, if one did
     */
    record Authenticated(User user, Optional<String> subprotocol) implements Authentication {
        public Authenticated {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(subprotocol, "subprotocol");
        }

        /** A user whose credential came some other way than a subprotocol. */
        public Authenticated(User user) {
            this(user, Optional.empty());
        }
    }

    /**
     * A refusal before the upgrade.
     *
     * @param status an HTTP status from 400 to 599
     * @param reason one line for the response body
     */
    record Rejected(int status, String reason) implements Authentication {
        public Rejected {
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
