/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.bench.client.ProtocolCommands;
import io.switchboard.security.TokenVerifier;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchTokensTest {

    private final TokenVerifier verifier = BenchTokens.hs256("right".getBytes(StandardCharsets.UTF_8));

    @Test
    void theGeneratorsTokensVerifyWithTheirSubject() throws Exception {
        String token = ProtocolCommands.token("right".getBytes(StandardCharsets.UTF_8), "u1");
        assertThat(verifier.verify(token)).containsEntry("sub", "u1").containsKey("exp");
    }

    @Test
    void aTokenSignedWithAnotherSecretOrMangledIsInvalid() {
        String forged = ProtocolCommands.token("wrong".getBytes(StandardCharsets.UTF_8), "u1");
        assertThatThrownBy(() -> verifier.verify(forged))
                .isInstanceOfSatisfying(TokenVerifier.Rejected.class, e -> assertThat(e.problem())
                        .isEqualTo(TokenVerifier.Problem.INVALID));
        assertThatThrownBy(() -> verifier.verify("not-a-token")).isInstanceOf(TokenVerifier.Rejected.class);
    }
}
