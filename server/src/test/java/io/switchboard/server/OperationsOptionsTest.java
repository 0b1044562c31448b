/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static io.switchboard.server.ServeCommandTest.resolve;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** serve's operations options: what they resolve to, and the one-line complaints about bad values. */
class OperationsOptionsTest {

    @Test
    void anAdminPasswordOfTwelveCharactersTurnsOnThePage() {
        assertThat(resolve(Map.of()).operations().adminPassword()).isNull();
        assertThat(resolve(Map.of(), "--admin-password", "twelve-chars")
                        .operations()
                        .adminPassword())
                .isEqualTo("twelve-chars");
        assertThat(resolve(Map.of("SWITCHBOARD_ADMIN_PASSWORD", "zwölf-zeichen"))
                        .operations()
                        .adminPassword())
                .isEqualTo("zwölf-zeichen");
    }

    @Test
    void aShortOrEmptyAdminPasswordStopsTheStartWithoutQuotingIt() {
        for (String password : new String[] {"", "abc", "eleven-char"}) {
            assertThatThrownBy(() -> resolve(Map.of(), "--admin-password", password))
                    .as("'%s'", password)
                    .hasMessage("--admin-password must be at least 12 characters long");
        }
        assertThatThrownBy(() -> resolve(Map.of("SWITCHBOARD_ADMIN_PASSWORD", "short")))
                .hasMessage("--admin-password must be at least 12 characters long");
    }

    @Test
    void aBadInternalPortIsNamed() {
        assertThatThrownBy(() -> resolve(Map.of(), "--internal-port", "70000"))
                .hasMessage("--internal-port must be 0-65535, not 70000");
    }
}
