/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import java.util.Map;
import java.util.Objects;

/**
 * Checks a signed token (a JSON Web Token) and returns its claims. Every failure is a {@link
 * Rejected} that says in one line what was wrong, without echoing the token, and whether the token
 * only expired (a client may fetch a fresh one), was invalid (forged, malformed, for someone else),
 * or could not be checked now (the key set is unreachable).
 */
@FunctionalInterface
public interface TokenVerifier {

    /** The claims of {@code token} once its signature, expiry and audience hold. */
    Map<String, Object> verify(String token) throws Rejected;

    /** Why a token was refused. */
    enum Problem {
        /** Well signed, but past its {@code exp}: a fresh token will do. */
        EXPIRED,
        /** Forged, malformed, of an algorithm or issuer or audience not accepted. */
        INVALID,
        /** Could not be checked now (the key set could not be fetched); the token may be fine. */
        UNAVAILABLE
    }

    /** A token that did not verify. */
    final class Rejected extends Exception {
        private final Problem problem;

        public Rejected(Problem problem, String reason) {
            super(reason, null, false, false);
            this.problem = Objects.requireNonNull(problem, "problem");
        }

        /** Why. */
        public Problem problem() {
            return problem;
        }
    }
}
