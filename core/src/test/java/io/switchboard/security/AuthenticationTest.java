/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.session.Scope;
import io.switchboard.session.User;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What an authenticator can decide, and the users it names. */
class AuthenticationTest {

    @Test
    void anonymousIsOneValueAndTheDefaultAuthenticatorGivesIt() throws Exception {
        assertThat(Authentication.anonymous()).isSameAs(Authentication.Anonymous.INSTANCE);
        assertThat(Authenticator.ANONYMOUS.authenticate(Scope.builder("/").build()))
                .isSameAs(Authentication.anonymous());
    }

    @Test
    void anAuthenticatedRequestNamesItsUser() {
        User ann = User.named("ann");

        assertThat(Authentication.user(ann)).isEqualTo(new Authentication.Authenticated(ann));
        assertThatThrownBy(() -> Authentication.user(null)).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 599})
    void aRejectionCarriesAnErrorStatus(int status) {
        assertThat(Authentication.reject(status, "no")).isEqualTo(new Authentication.Rejected(status, "no"));
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 302, 399, 600})
    void aRejectionRefusesAStatusThatIsNotAnError(int status) {
        assertThatThrownBy(() -> Authentication.reject(status, "no"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a rejection needs an HTTP status from 400 to 599, not " + status);
        assertThatThrownBy(() -> Authentication.reject(401, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aRejectionReasonIsOneLineAsForDecisionReject() {
        assertThatThrownBy(() -> Authentication.reject(401, "bad\ntoken"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a rejection reason is one line");
    }

    @Test
    void aUserNeedsANameAndKeepsACopyOfItsClaims() {
        Map<String, Object> claims = new HashMap<>(Map.of("role", "admin"));
        User user = new User("ann", claims);
        claims.put("role", "guest");

        assertThat(user.claims()).isEqualTo(Map.of("role", "admin"));
        assertThat(User.named("bob").claims()).isEmpty();
        assertThatThrownBy(() -> User.named(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> User.named(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a user needs a name");
    }
}
