/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which Host headers a server answers. */
class HostsTest {

    private static final List<String> DEFAULT = Hosts.normalize(Hosts.LOOPBACK);

    @ParameterizedTest
    @ValueSource(
            strings = {"localhost", "LOCALHOST:8000", "localhost.", "127.0.0.1", "127.0.0.1:80", "[::1]", "[::1]:8000"})
    void theLoopbackNamesAreAllowedByDefault(String host) {
        assertThat(Hosts.allowed(host, DEFAULT)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "evil.example",
                "evil.example:8000",
                "localhost.evil.example",
                "127.0.0.1.nip.io",
                "::1",
                "[::1",
                "[::1]x",
                "localhost:80x",
                "localhost@evil.example",
                "local host",
                "[localhost:evil.example]",
                "[localhost:evil.example]:8000",
                "[z:z]",
                "[1:2]",
                "[localhost]",
                ""
            })
    void otherOrMalformedHostsAreNot(String host) {
        assertThat(Hosts.allowed(host, DEFAULT)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.2", "10.0.0.1:8000", "[fe80::1]", "[::ffff:127.0.0.1]:80", "chat.localhost"})
    void addressesNeedNoEntryAndNamesUnderLocalhostAreLoopback(String host) {
        assertThat(Hosts.allowed(host, DEFAULT)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "256.0.0.1",
                "1.2.3",
                "1.2.3.4.5",
                "01234.0.0.1",
                "1..2.3",
                "localhost:evil.example",
                "z:z",
                "a:b"
            })
    void whatOnlyLooksLikeAnAddressIsAName(String host) {
        assertThat(Hosts.isAddress(host)).isFalse();
        assertThat(Hosts.allowed(host, DEFAULT)).isFalse();
    }

    @Test
    void aDotEntryAllowsTheDomainAndItsSubdomainsOnly() {
        List<String> allowed = Hosts.normalize(List.of(".Example.com"));
        assertThat(Hosts.allowed("example.com", allowed)).isTrue();
        assertThat(Hosts.allowed("chat.example.com:443", allowed)).isTrue();
        assertThat(Hosts.allowed("badexample.com", allowed)).isFalse();
        assertThat(Hosts.allowed("example.com.evil", allowed)).isFalse();
    }

    @Test
    void aStarAllowsEveryHostButAMissingOneIsNeverAllowedOtherwise() {
        assertThat(Hosts.allowed("anything.example", List.of(Hosts.ANY))).isTrue();
        assertThat(Hosts.allowed(null, DEFAULT)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"LocalHost, localhost", "[::1], ::1", "app.example., app.example", "*, *", ".example.com, .example.com"
    })
    void normalizeLowersCaseAndDropsBracketsAndTheTrailingDot(String entry, String normalized) {
        assertThat(Hosts.normalize(entry)).isEqualTo(normalized);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "http://app.example", "app.example/x", "a b", "."})
    void normalizeRefusesWhatIsNotAHost(String bad) {
        assertThatThrownBy(() -> Hosts.normalize(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a host");
    }

    @Test
    void aRequestNeedsExactlyOneAllowedHostExceptInHttp10() {
        assertThat(Hosts.problem(List.of("localhost:8000"), true, DEFAULT)).isNull();
        assertThat(Hosts.problem(List.of(), true, DEFAULT)).isEqualTo("missing or repeated Host header");
        assertThat(Hosts.problem(List.of("localhost", "localhost"), true, DEFAULT))
                .isEqualTo("missing or repeated Host header");
        assertThat(Hosts.problem(List.of(" "), true, DEFAULT)).isEqualTo("missing or repeated Host header");
        assertThat(Hosts.problem(List.of(), false, DEFAULT))
                .as("HTTP/1.0 predates Host")
                .isNull();
        assertThat(Hosts.problem(List.of("evil.example"), false, DEFAULT))
                .isEqualTo("host 'evil.example' is not allowed (add it to the allowed hosts)");
        assertThat(Hosts.problem(List.of("e".repeat(300)), true, DEFAULT))
                .as("a long name is cut")
                .hasSize("host '' is not allowed (add it to the allowed hosts)".length() + 103);
    }
}
