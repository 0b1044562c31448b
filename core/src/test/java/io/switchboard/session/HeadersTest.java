/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Immutable, case-insensitive HTTP headers. */
class HeadersTest {

    @Test
    void namesCompareWithoutRegardToCase() {
        Headers headers = Headers.of("Origin", "https://a.example", "X-Token", "t");

        assertThat(headers.first("origin")).contains("https://a.example");
        assertThat(headers.first("ORIGIN")).contains("https://a.example");
        assertThat(headers.contains("x-token")).isTrue();
        assertThat(headers.all("X-TOKEN")).containsExactly("t");
        assertThat(headers.names()).containsExactly("origin", "x-token");
    }

    @Test
    void repeatedHeadersKeepEveryValueInOrder() {
        Headers headers = Headers.builder()
                .add("Cookie", "a=1")
                .add("Accept", "*/*")
                .add("cookie", "b=2")
                .build();

        assertThat(headers.all("Cookie")).containsExactly("a=1", "b=2");
        assertThat(headers.first("COOKIE")).contains("a=1");
        assertThat(headers.names()).containsExactly("cookie", "accept");
    }

    @Test
    void absentHeadersAreEmptyNotNull() {
        Headers headers = Headers.empty();

        assertThat(headers.first("Host")).isEmpty();
        assertThat(headers.all("Host")).isEmpty();
        assertThat(headers.contains("Host")).isFalse();
        assertThat(headers.names()).isEmpty();
    }

    @Test
    void pairsMustBeComplete() {
        assertThatThrownBy(() -> Headers.of("Origin"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("headers come in name/value pairs");
    }

    @Test
    void builtHeadersCannotChange() {
        Headers.Builder builder = Headers.builder().add("A", "1");
        Headers headers = builder.build();
        builder.add("A", "2").add("B", "3");

        assertThat(headers.all("A")).containsExactly("1");
        assertThat(headers.contains("B")).isFalse();
        assertThatThrownBy(() -> headers.all("A").add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> headers.names().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void printsEachNameOnceWithItsValuesInOrder() {
        Headers headers = Headers.of("Cookie", "a=1", "Accept", "*/*", "cookie", "b=2");

        assertThat(headers).hasToString("{cookie=[a=1, b=2], accept=[*/*]}");
    }

    @Test
    void commonNamesAndValuesAreOneSharedCopy() {
        Headers first = Headers.of(new String("Upgrade"), new String("websocket"));
        Headers second = Headers.of(new String("upgrade"), new String("websocket"));

        assertThat(first.names().iterator().next())
                .isSameAs(second.names().iterator().next());
        assertThat(first.first("upgrade").orElseThrow())
                .isSameAs(second.first("upgrade").orElseThrow());
    }
}
