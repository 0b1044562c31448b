/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What connect decides: accept, with or without a subprotocol, or reject with an HTTP status. */
class DecisionTest {

    @Test
    void acceptWithoutASubprotocol() {
        assertThat(Decision.accept()).isEqualTo(new Decision.Accept(Optional.empty()));
    }

    @Test
    void acceptWithASubprotocol() {
        assertThat(Decision.accept("chat.v2")).isEqualTo(new Decision.Accept(Optional.of("chat.v2")));
        assertThatThrownBy(() -> Decision.accept(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Decision.Accept(null)).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 429, 500, 599})
    void rejectTakesAnErrorStatus(int status) {
        assertThat(Decision.reject(status, "no")).isEqualTo(new Decision.Reject(status, "no"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 101, 200, 302, 399, 600})
    void rejectRefusesAStatusThatIsNotAnError(int status) {
        assertThatThrownBy(() -> Decision.reject(status, "no"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a rejection needs an HTTP status from 400 to 599, not " + status);
    }

    @Test
    void theReasonIsOneLine() {
        assertThatThrownBy(() -> Decision.reject(403, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Decision.reject(403, "one\ntwo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a rejection reason is one line");
        assertThatThrownBy(() -> Decision.reject(403, "one\rtwo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a rejection reason is one line");
        assertThat(new Decision.Reject(403, "").reason()).isEmpty();
    }
}
