/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing, matching and ordering of path patterns. */
class PathPatternTest {

    @ParameterizedTest
    @ValueSource(
            strings = {"/", "/ws/echo", "/ws/chat/{room}", "/{user}/{id}", "/static/{file...}", "/a/{b}/c/{rest...}"})
    void wellFormedPatternsParseAndKeepTheirText(String text) {
        assertThat(PathPattern.parse(text).text()).isEqualTo(text);
        assertThat(PathPattern.parse(text)).hasToString(text);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "ws/echo       | invalid route 'ws/echo': it must start with '/'",
                "\"\"            | invalid route '': it must start with '/'",
                "/ws/echo/     | invalid route '/ws/echo/': it must not end with '/'",
                "/ws//echo     | invalid route '/ws//echo': it has an empty segment",
                "//            | invalid route '//': it must not end with '/'",
                "/ws/{1room}   | invalid route '/ws/{1room}': '{1room}' is not a valid parameter (letters, digits, '_')",
                "/ws/{}        | invalid route '/ws/{}': '{}' is not a valid parameter (letters, digits, '_')",
                "/ws/{a-b}     | invalid route '/ws/{a-b}': '{a-b}' is not a valid parameter (letters, digits, '_')",
                "/ws/{...}     | invalid route '/ws/{...}': '{...}' is not a valid parameter (letters, digits, '_')",
                "/ws/{ room }  | invalid route '/ws/{ room }': '{ room }' is not a valid parameter (letters, digits, '_')",
                "/{a}/{a}      | invalid route '/{a}/{a}': parameter 'a' appears twice",
                "/{a}/{a...}   | invalid route '/{a}/{a...}': parameter 'a' appears twice",
                "/{rest...}/x  | invalid route '/{rest...}/x': '{rest...}' must be the last segment",
                "/ws/chat{room} | invalid route '/ws/chat{room}': 'chat{room}' mixes braces with text; a parameter is a whole segment",
                "/ws/{room}x   | invalid route '/ws/{room}x': '{room}x' mixes braces with text; a parameter is a whole segment",
                "/ws/{room     | invalid route '/ws/{room': '{room' mixes braces with text; a parameter is a whole segment",
                "/ws/room}     | invalid route '/ws/room}': 'room}' mixes braces with text; a parameter is a whole segment",
                "/ws/./echo    | invalid route '/ws/./echo': it has a '.' segment",
                "/ws/../echo   | invalid route '/ws/../echo': it has a '..' segment",
                "/..           | invalid route '/..': it has a '..' segment",
                "/ws/a?b       | invalid route '/ws/a?b': 'a?b' holds a character not allowed in a path",
                "/ws/a#b       | invalid route '/ws/a#b': 'a#b' holds a character not allowed in a path",
                "/ws/a%20b     | invalid route '/ws/a%20b': 'a%20b' holds a character not allowed in a path",
            })
    void malformedPatternsFailNamingTheRouteAndTheProblem(String text, String message) {
        assertThatThrownBy(() -> PathPattern.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void whitespaceAndControlCharactersAreRefused() {
        for (String text : List.of("/a b", "/a\tb", "/a\u0000b", "/a\u007fb")) {
            assertThatThrownBy(() -> PathPattern.parse(text))
                    .as(text)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("holds a character not allowed in a path");
        }
    }

    @Test
    void aNullPatternFailsWithAMessageRatherThanANullPointer() {
        assertThatThrownBy(() -> PathPattern.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid route 'null': it must start with '/'");
    }

    @Test
    void literalSegmentsMayHoldNonAsciiText() {
        assertThat(PathPattern.parse("/café/{x}").match(List.of("café", "1"))).containsEntry("x", "1");
    }

    @Test
    void namedParametersCaptureWholeSegments() {
        PathPattern pattern = PathPattern.parse("/ws/chat/{room}");

        assertThat(pattern.match(List.of("ws", "chat", "lobby"))).isEqualTo(Map.of("room", "lobby"));
        assertThat(pattern.match(List.of("ws", "chat"))).isNull();
        assertThat(pattern.match(List.of("ws", "chat", "lobby", "x"))).isNull();
        assertThat(pattern.match(List.of("ws", "talk", "lobby"))).isNull();
    }

    @Test
    void aParameterNeverMatchesAnEmptySegment() {
        assertThat(PathPattern.parse("/ws/{room}").match(List.of("ws", ""))).isNull();
    }

    @Test
    void literalsMatchExactlyAndCaseSensitively() {
        PathPattern pattern = PathPattern.parse("/ws/echo");

        assertThat(pattern.match(List.of("ws", "echo"))).isEmpty();
        assertThat(pattern.match(List.of("ws", "Echo"))).isNull();
        assertThat(pattern.match(List.of("ws", "echo", "")))
                .as("a trailing slash is not ignored")
                .isNull();
    }

    @Test
    void parametersComeBackInPatternOrder() {
        Map<String, String> params = PathPattern.parse("/{user}/posts/{post}").match(List.of("ann", "posts", "7"));

        assertThat(new ArrayList<>(params.keySet())).containsExactly("user", "post");
        assertThat(params).containsEntry("user", "ann").containsEntry("post", "7");
    }

    @Test
    void theRestParameterTakesOneOrMoreSegmentsJoinedBySlashes() {
        PathPattern pattern = PathPattern.parse("/static/{file...}");

        assertThat(pattern.match(List.of("static", "app.js"))).isEqualTo(Map.of("file", "app.js"));
        assertThat(pattern.match(List.of("static", "css", "site.css"))).isEqualTo(Map.of("file", "css/site.css"));
        assertThat(pattern.match(List.of("static"))).isNull();
        assertThat(pattern.match(List.of("assets", "app.js"))).isNull();
    }

    @Test
    void theRootPatternMatchesOnlyTheRoot() {
        PathPattern root = PathPattern.parse("/");

        assertThat(root.match(List.of())).isEmpty();
        assertThat(root.match(List.of("a"))).isNull();
        assertThat(root.isLiteral()).isTrue();
    }

    @Test
    void isLiteralOnlyWhenNoSegmentIsAParameter() {
        assertThat(PathPattern.parse("/ws/echo").isLiteral()).isTrue();
        assertThat(PathPattern.parse("/ws/{x}").isLiteral()).isFalse();
        assertThat(PathPattern.parse("/ws/{x...}").isLiteral()).isFalse();
    }

    @Test
    void theShapeIgnoresParameterNames() {
        assertThat(PathPattern.parse("/a/{x}/{y...}").shape())
                .isEqualTo(PathPattern.parse("/a/{p}/{q...}").shape())
                .isEqualTo("/a/{}/{...}");
        assertThat(PathPattern.parse("/").shape()).isEqualTo("/");
        assertThat(PathPattern.parse("/a/{x}").shape())
                .isNotEqualTo(PathPattern.parse("/a/{x...}").shape());
    }

    @Test
    void atTheFirstDifferenceALiteralBeatsAParameterWhichBeatsTheRest() {
        PathPattern literal = PathPattern.parse("/a/b");
        PathPattern param = PathPattern.parse("/a/{x}");
        PathPattern rest = PathPattern.parse("/a/{x...}");

        List<PathPattern> sorted = new ArrayList<>(List.of(rest, param, literal));
        sorted.sort(null);

        assertThat(sorted).containsExactly(literal, param, rest);
        assertThat(PathPattern.parse("/a/{x}/c").compareTo(PathPattern.parse("/{y}/b/c")))
                .as("the first segment decides")
                .isNegative();
    }

    @Test
    void withEqualSegmentsTheLongerPatternSortsFirst() {
        assertThat(PathPattern.parse("/a/b/c").compareTo(PathPattern.parse("/a/b")))
                .isNegative();
        assertThat(PathPattern.parse("/a/b").compareTo(PathPattern.parse("/a/b")))
                .isZero();
    }

    @Test
    void underPutsAPatternBelowAPrefix() {
        PathPattern api = PathPattern.parse("/api/{version}");

        assertThat(PathPattern.parse("/items/{id}").under(api).text()).isEqualTo("/api/{version}/items/{id}");
        assertThat(PathPattern.parse("/").under(api).text())
                .as("the prefix itself")
                .isEqualTo("/api/{version}");
        assertThat(PathPattern.parse("/items").under(PathPattern.parse("/")).text())
                .isEqualTo("/items");
    }

    @Test
    void underFailsForARestPrefixOrARepeatedName() {
        assertThatThrownBy(() -> PathPattern.parse("/x").under(PathPattern.parse("/files/{path...}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid route '/files/{path...}': a mount prefix cannot end with a '{...}' parameter");
        assertThatThrownBy(() -> PathPattern.parse("/{id}").under(PathPattern.parse("/users/{id}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid route '/users/{id}/{id}': parameter 'id' appears twice");
    }

    @Test
    void patternsAreEqualByText() {
        assertThat(PathPattern.parse("/a/{x}"))
                .isEqualTo(PathPattern.parse("/a/{x}"))
                .hasSameHashCodeAs(PathPattern.parse("/a/{x}"))
                .isNotEqualTo(PathPattern.parse("/a/{y}"));
    }
}
