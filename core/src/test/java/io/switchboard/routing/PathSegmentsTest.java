/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Splitting raw request paths into decoded segments. */
class PathSegmentsTest {

    @Test
    void splitsOnSlashesAndDecodesEachSegment() {
        assertThat(PathSegments.decode("/a/b%20c")).containsExactly("a", "b c");
        assertThat(PathSegments.decode("/ws/chat/lobby")).containsExactly("ws", "chat", "lobby");
    }

    @Test
    void theRootHasNoSegmentsAndEmptySegmentsAreKept() {
        assertThat(PathSegments.decode("/")).isEmpty();
        assertThat(PathSegments.decode("/a/")).containsExactly("a", "");
        assertThat(PathSegments.decode("//")).containsExactly("", "");
        assertThat(PathSegments.decode("/a//b")).containsExactly("a", "", "b");
    }

    @Test
    void aPathMustStartWithASlash() {
        assertThat(PathSegments.decode(null)).isNull();
        assertThat(PathSegments.decode("")).isNull();
        assertThat(PathSegments.decode("a/b")).isNull();
        assertThat(PathSegments.decode("*")).isNull();
    }

    @Test
    void escapedSlashesAndDotsStayInsideTheirSegment() {
        assertThat(PathSegments.decode("/a%2Fb")).containsExactly("a/b");
        assertThat(PathSegments.decode("/%2E%2E/x")).containsExactly("..", "x");
    }

    @Test
    void escapesAreUtf8AndHexIsCaseInsensitive() {
        assertThat(PathSegments.decode("/caf%C3%A9")).containsExactly("café");
        assertThat(PathSegments.decode("/caf%c3%a9")).containsExactly("café");
        assertThat(PathSegments.decode("/%F0%9F%98%80")).containsExactly("😀");
    }

    @Test
    void plusIsNotASpaceInAPath() {
        assertThat(PathSegments.decodeComponent("a+b")).isEqualTo("a+b");
    }

    @Test
    void charactersBelow256AreRawBytesOfTheRequestLine() {
        // "café" sent as UTF-8 and read as ISO-8859-1 arrives as "cafÃ©".
        assertThat(PathSegments.decode("/caf\u00c3\u00a9")).containsExactly("café");
        // A lone 0xE9 byte is not UTF-8.
        assertThat(PathSegments.decode("/caf\u00e9")).isNull();
    }

    @Test
    void charactersFrom256UpAreTakenAsTheyAre() {
        assertThat(PathSegments.decode("/日本/😀")).containsExactly("日本", "😀");
        assertThat(PathSegments.decodeComponent("日本%20語")).isEqualTo("日本 語");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "a%", "%4", "a%4", "%zz", "%4g", "%g4", "%C3", "%FF", "%C0%AF", "%ED%A0%80"})
    void malformedEscapesOrBytesThatAreNotUtf8DecodeToNull(String raw) {
        assertThat(PathSegments.decodeComponent(raw)).isNull();
        assertThat(PathSegments.decode("/ok/" + raw)).isNull();
    }

    @Test
    void plainAsciiComesBackAsItIs() {
        String raw = "plain-segment_1.txt";
        assertThat(PathSegments.decodeComponent(raw)).isSameAs(raw);
        assertThat(PathSegments.decodeComponent("")).isEmpty();
    }
}
