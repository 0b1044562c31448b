/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.session.Scope;
import io.switchboard.session.User;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenAuthenticatorTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private final TokenIssuer jwt = TokenIssuer.hmac(SECRET);
    private final TokenAuthenticator authenticator =
            new TokenAuthenticator(JwtVerifier.builder().hmacSecret(SECRET).build());
    private final String token = jwt.issue(Map.of("sub", "ann", "room", "lobby", "exp", inAMinute()));

    private static long inAMinute() {
        return Clock.systemUTC().instant().getEpochSecond() + 60;
    }

    @Test
    void findsTheTokenInTheHeaderTheQueryOrASubprotocol() {
        for (Scope scope : List.of(
                Scope.builder("/ws").header("Authorization", "Bearer " + token).build(),
                Scope.builder("/ws").header("authorization", "bearer " + token).build(),
                Scope.builder("/ws").query("access_token", token).build(),
                Scope.builder("/ws")
                        .subprotocols(List.of("chat", "bearer." + token))
                        .build())) {
            Authentication result = authenticator.authenticate(scope);
            assertThat(result).isInstanceOf(Authentication.Authenticated.class);
            User user = ((Authentication.Authenticated) result).user();
            assertThat(user.name()).isEqualTo("ann");
            assertThat(user.claims()).containsEntry("room", "lobby");
        }
    }

    @Test
    void missingOrBadTokensGet401() {
        assertThat(authenticator.authenticate(Scope.builder("/ws").build()))
                .isInstanceOfSatisfying(Authentication.Rejected.class, r -> assertThat(r.status())
                        .isEqualTo(401));
        assertThat(authenticator.authenticate(
                        Scope.builder("/ws").query("access_token", token + "x").build()))
                .isInstanceOfSatisfying(Authentication.Rejected.class, r -> {
                    assertThat(r.status()).isEqualTo(401);
                    assertThat(r.reason()).isEqualTo("bad token signature");
                });
        String nobody = jwt.issue(Map.of("role", "admin", "exp", inAMinute()));
        assertThat(authenticator.authenticate(
                        Scope.builder("/ws").query("access_token", nobody).build()))
                .isInstanceOfSatisfying(Authentication.Rejected.class, r -> assertThat(r.reason())
                        .contains("no user"));
    }

    @Test
    void aKeySetThatCannotBeFetchedIs503NotABadCredential() {
        TokenAuthenticator down = new TokenAuthenticator(token -> {
            throw new TokenVerifier.Rejected(TokenVerifier.Problem.UNAVAILABLE, "token key set unavailable");
        });
        assertThat(down.authenticate(
                        Scope.builder("/ws").query("access_token", token).build()))
                .isInstanceOfSatisfying(Authentication.Rejected.class, r -> {
                    assertThat(r.status()).isEqualTo(503);
                    assertThat(r.reason()).isEqualTo("token key set unavailable");
                });
    }
}
