/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The password check and the signed session tokens, on a clock the test moves. */
class AdminAuthTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T03:00:00Z"), ZoneOffset.UTC);
    private final AdminAuth auth = new AdminAuth("s3cret", clock);

    @Test
    void onlyThePasswordMatches() {
        assertThat(auth.passwordMatches("s3cret")).isTrue();
        assertThat(auth.passwordMatches("s3cre")).isFalse();
        assertThat(auth.passwordMatches("s3cret ")).isFalse();
        assertThat(auth.passwordMatches("")).isFalse();
        assertThat(auth.passwordMatches(null)).isFalse();
    }

    @Test
    void anEmptyPasswordIsRefusedAtTheStart() {
        assertThatThrownBy(() -> new AdminAuth("", clock)).hasMessage("the admin password is empty");
    }

    @Test
    void aSessionIsValidUntilItExpires() {
        String session = auth.newSession();
        assertThat(auth.sessionValid(session)).isTrue();

        clock.advance(AdminAuth.SESSION.minusSeconds(1));
        assertThat(auth.sessionValid(session)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(auth.sessionValid(session)).isFalse();
    }

    @Test
    void aSessionIsValidOnAnyNodeWithThePasswordAndOnNoOther() {
        String session = auth.newSession();
        assertThat(new AdminAuth("s3cret", clock).sessionValid(session)).isTrue();
        assertThat(new AdminAuth("other", clock).sessionValid(session)).isFalse();
    }

    @Test
    void aTamperedOrMalformedTokenIsInvalid() {
        String session = auth.newSession();
        String expiry = session.substring(0, session.indexOf('.'));
        String later = (Long.parseLong(expiry) + 3600) + session.substring(expiry.length());

        assertThat(auth.sessionValid(later)).isFalse();
        assertThat(auth.sessionValid(session.substring(0, session.length() - 1) + "A"))
                .isFalse();
        for (String bad : new String[] {null, "", ".", "..", "x.y.z", "1.2", session + "."}) {
            assertThat(auth.sessionValid(bad)).as(bad).isFalse();
        }
    }

    @Test
    void theCsrfTokenBelongsToItsSession() {
        String one = auth.newSession();
        String two = auth.newSession();
        assertThat(one).isNotEqualTo(two);
        assertThat(auth.csrfMatches(one, auth.csrfOf(one))).isTrue();
        assertThat(auth.csrfMatches(one, auth.csrfOf(two))).isFalse();
        assertThat(auth.csrfMatches(one, null)).isFalse();
    }
}
