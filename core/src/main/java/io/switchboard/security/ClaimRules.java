/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.security.TokenVerifier.Problem;
import io.switchboard.security.TokenVerifier.Rejected;
import java.time.Clock;
import java.util.Objects;

/**
 * What a well-signed token's claims must say: an {@code exp} in the future (unless not required), an
 * {@code nbf} in the past, both with a leeway for clocks that disagree; and, when configured, the
 * issuer ({@code iss}) and an audience ({@code aud}, a string or an array of strings) named.
 *
 * @param clock where the time comes from
 * @param leewaySeconds how far past {@code exp} and before {@code nbf} a token is still accepted
 * @param expiryRequired whether a token without {@code exp} is refused
 * @param issuer the {@code iss} a token must carry, or {@code null} for any
 * @param audience the audience a token's {@code aud} must name, or {@code null} for any
 */
record ClaimRules(Clock clock, long leewaySeconds, boolean expiryRequired, String issuer, String audience) {

    ClaimRules {
        Objects.requireNonNull(clock, "clock");
        if (leewaySeconds < 0) {
            throw new IllegalArgumentException("the leeway must be 0 or more seconds, not " + leewaySeconds);
        }
    }

    /** Fails with {@link Rejected} unless {@code claims} (a JSON object) meet the rules. */
    void check(JsonNode claims) throws Rejected {
        long now = clock.instant().getEpochSecond();
        JsonNode exp = claims.get("exp");
        if (exp == null && expiryRequired) {
            throw JwtVerifier.invalid("token without expiry (exp)");
        }
        if (exp != null && !exp.isNumber()) {
            throw JwtVerifier.invalid("malformed token expiry (exp)");
        }
        if (exp != null && now - leewaySeconds >= exp.asLong()) {
            throw new Rejected(Problem.EXPIRED, "token expired");
        }
        JsonNode nbf = claims.get("nbf");
        if (nbf != null && (!nbf.isNumber() || now + leewaySeconds < nbf.asLong())) {
            throw JwtVerifier.invalid("token not valid yet");
        }
        JsonNode iss = claims.get("iss");
        if (issuer != null && (iss == null || !iss.isTextual() || !issuer.equals(iss.asText()))) {
            throw JwtVerifier.invalid("token from another issuer (iss)");
        }
        if (audience != null && !names(claims.get("aud"), audience)) {
            throw JwtVerifier.invalid("token for another audience (aud)");
        }
    }

    private static boolean names(JsonNode aud, String audience) {
        if (aud == null) {
            return false;
        }
        if (aud.isTextual()) {
            return aud.asText().equals(audience);
        }
        if (aud.isArray()) {
            for (JsonNode entry : aud) {
                if (entry.isTextual() && entry.asText().equals(audience)) {
                    return true;
                }
            }
        }
        return false;
    }
}
