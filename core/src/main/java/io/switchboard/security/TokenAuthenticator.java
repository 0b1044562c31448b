/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import io.switchboard.session.Scope;
import io.switchboard.session.User;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Authenticates upgrades with a signed JSON Web Token, checked by a {@link TokenVerifier} (such as a
 * {@link JwtVerifier}) and looked for in this order: an {@code Authorization: Bearer TOKEN} header;
 * an {@code access_token} query parameter; and, for browsers (which cannot set headers on a
 * WebSocket), an offered subprotocol {@code bearer.TOKEN}. The user is the token's {@code sub} claim
 * (or another claim named at construction) and the session's claims are the token's. A missing,
 * expired or bad token is refused with 401 before the upgrade; 503 when the keys cannot be fetched
 * now. When the token came in a subprotocol and the handler picks none, the server answers with
 * that same {@code bearer.TOKEN} entry: a browser fails a handshake whose answer names none of the
 * subprotocols it offered, and the entry is the only one the application is known to understand.
 */
public final class TokenAuthenticator implements Authenticator {

    /** The prefix of a subprotocol that carries a token. */
    public static final String SUBPROTOCOL_PREFIX = "bearer.";

    private final TokenVerifier verifier;
    private final String userClaim;

    /** Users named by the {@code userClaim} claim of tokens that {@code verifier} accepts. */
    public TokenAuthenticator(TokenVerifier verifier, String userClaim) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.userClaim = Objects.requireNonNull(userClaim, "userClaim");
    }

    /** Users named by the {@code sub} claim. */
    public TokenAuthenticator(TokenVerifier verifier) {
        this(verifier, "sub");
    }

    @Override
    public Authentication authenticate(Scope scope) {
        Optional<String> carrier =
                bearerHeader(scope).or(() -> scope.queryParam("access_token")).isPresent()
                        ? Optional.empty()
                        : bearerSubprotocol(scope);
        Optional<String> token = token(scope);
        if (token.isEmpty()) {
            return Authentication.reject(
                    401, "missing token: send Authorization: Bearer, access_token or a bearer.* subprotocol");
        }
        Map<String, Object> claims;
        try {
            claims = verifier.verify(token.get());
        } catch (TokenVerifier.Rejected e) {
            // a key set that cannot be fetched is the server's problem, not a bad credential
            int status = e.problem() == TokenVerifier.Problem.UNAVAILABLE ? 503 : 401;
            return Authentication.reject(status, e.getMessage());
        }
        Object name = claims.get(userClaim);
        if (!(name instanceof String user) || user.isBlank()) {
            return Authentication.reject(401, "the token names no user ('" + userClaim + "' claim)");
        }
        User named = new User(user, claims);
        return carrier.isPresent() ? Authentication.user(named, carrier.get()) : Authentication.user(named);
    }

    /** The token a request carries, from the first place that has one. */
    static Optional<String> token(Scope scope) {
        return bearerHeader(scope).or(() -> scope.queryParam("access_token")).or(() -> bearerSubprotocol(scope)
                .map(protocol -> protocol.substring(SUBPROTOCOL_PREFIX.length())));
    }

    private static Optional<String> bearerHeader(Scope scope) {
        return scope.header("Authorization")
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).trim());
    }

    /** The first offered {@code bearer.TOKEN} subprotocol, whole. */
    private static Optional<String> bearerSubprotocol(Scope scope) {
        return scope.subprotocols().stream()
                .filter(protocol -> protocol.startsWith(SUBPROTOCOL_PREFIX))
                .findFirst();
    }
}
