/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which origins may open a WebSocket. */
class OriginsTest {

    @ParameterizedTest
    @CsvSource({
        "https://A.example, https://a.example",
        "https://a.example:443, https://a.example",
        "http://a.example:80/, http://a.example",
        "http://a.example:443, http://a.example:443",
        "http://[::1]:8000, http://[::1]:8000",
        "*, *",
        "null, null"
    })
    void normalizeLowersCaseAndDropsDefaultPorts(String origin, String normalized) {
        assertThat(Origins.normalize(origin)).isEqualTo(normalized);
    }

    @ParameterizedTest
    @CsvSource({"a.example", "https://a.example/x", "https://a.example?q", "https://u@a.example", "//a.example"})
    void normalizeRefusesWhatIsNotAnOrigin(String bad) {
        assertThatThrownBy(() -> Origins.normalize(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + bad + "' is not an origin: expected scheme://host[:port], '*' or 'null'");
    }

    @ParameterizedTest
    @CsvSource({
        // origin,               host,              allowed?
        "http://a.example:8000,  a.example:8000,    true",
        "http://a.example,       a.example,         true",
        "http://a.example,       a.example:80,      true",
        "https://a.example,      A.EXAMPLE:443,     true",
        "http://[::1]:8000,      [::1]:8000,        true",
        "http://a.example:8001,  a.example:8000,    false",
        "http://b.example:8000,  a.example:8000,    false",
        "https://a.example,      a.example:80,      false",
        "null,                   a.example,         false",
        "garbage,                a.example,         false"
    })
    void theServersOwnOriginIsItsHostHeader(String origin, String host, boolean allowed) {
        assertThat(Origins.allowed(origin, host, List.of())).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource({
        // origin,               host,              allowed over TLS?
        "https://a.example,      a.example,         true",
        "https://a.example:8443, a.example:8443,    true",
        "http://a.example,       a.example,         false",
        "http://a.example:8443,  a.example:8443,    false"
    })
    void overTlsOnlyAnHttpsPageIsTheServersOwn(String origin, String host, boolean allowed) {
        assertThat(Origins.allowed(origin, host, true, List.of())).isEqualTo(allowed);
        assertThat(Origins.allowed(origin, host, true, List.of(Origins.normalize(origin))))
                .as("an origin in the list is allowed whatever its scheme")
                .isTrue();
    }

    @ParameterizedTest
    @CsvSource({"https://evil.example", "null"})
    void aStarAllowsAnyOriginAndNoOriginIsAlwaysAllowed(String origin) {
        assertThat(Origins.allowed(origin, "a.example", List.of("*"))).isTrue();
        assertThat(Origins.allowed(null, "a.example", List.of())).isTrue();
        assertThat(Origins.allowed(origin, "a.example", List.of("https://b.example")))
                .isFalse();
    }
}
