/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.Fuzz;
import io.switchboard.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Generated patterns and paths, tens of thousands per run: a pattern is built or refused with an
 * {@link IllegalArgumentException} naming it; matching never throws, and agrees with a strict
 * decoder written out here, so a match never spans a '/' of the raw path.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RoutingFuzzTest {

    private static final String[] PATTERN_PIECES = {
        "/",
        "/",
        "/",
        "a",
        "b1",
        "_",
        "-",
        ".",
        "..",
        "...",
        "{",
        "}",
        "{x}",
        "{y}",
        "{rest...}",
        "{...}",
        "{}",
        "{1x}",
        "%",
        "?",
        "#",
        " ",
        "\t",
        "\u00e9",
        "\u0000",
        "\u007f",
        "\ud83d",
        "\ud83d\ude00",
        "+",
        ";",
        "=",
        "~"
    };

    private static final String[] PATH_PIECES = {
        "/",
        "/",
        "/",
        "a",
        "b",
        "ws",
        "chat",
        "echo",
        "static",
        "api",
        "v1",
        "items",
        "42",
        ".",
        "..",
        "%2e",
        "%2E%2e",
        "%2F",
        "%2f",
        "%",
        "%4",
        "%zz",
        "%\uff14\uff11",
        "%\u0663\u0661",
        "%C3%A9",
        "\u00c3\u00a9",
        "%c3",
        "%E2%82",
        "%F0%9F%98%80",
        "%ED%A0%80",
        "%C0%AF",
        "%00",
        "+",
        ";",
        "=",
        "\u0000",
        "\u00ff",
        "\u20ac",
        "\ud800",
        "\udc00",
        "\ud83d\ude00",
        "\ud836\udc00",
        "caf\u00e9",
        "caf%C3%A9",
        "%20",
        " "
    };

    private static final Router ROUTER = Router.builder()
            .websocket("/ws/chat/{room}", () -> null)
            .websocket("/ws/echo", () -> null)
            .http("/static/{file...}", request -> HttpResponse.text(200, ""))
            .http("/api/{version}/items/{id}", request -> HttpResponse.text(200, ""))
            .http("/caf\u00e9/{x}", request -> HttpResponse.text(200, ""))
            .http("/a/b", request -> HttpResponse.text(200, ""))
            .http("/{first}", request -> HttpResponse.text(200, ""))
            .build();

    @Test
    void aPatternIsBuiltOrRefusedNamingIt() {
        Fuzz.check(1L, 30_000, random -> join(random, PATTERN_PIECES, 8), text -> {
            PathPattern pattern;
            try {
                pattern = PathPattern.parse(text);
            } catch (IllegalArgumentException refused) {
                assertThat(refused.getMessage()).startsWith("invalid route '" + text + "': ");
                assertThat(refused.getMessage()).doesNotContain("\n");
                return;
            }
            assertThat(pattern.text()).isEqualTo(text);
            assertThat(pattern.match(example(text)))
                    .as("the pattern matches its own example")
                    .isNotNull();
            Router.builder().http(text, request -> null).build(); // a router takes what parse accepts
        });
    }

    @Test
    void aRouterOfRandomPatternsIsBuiltOrRefusedNamingTheDuplicate() {
        Fuzz.check(
                2L,
                5_000,
                random -> random.ints(1 + random.nextInt(4), 0, 10_000).toArray(),
                seeds -> {
                    Router.Builder builder = Router.builder();
                    List<String> accepted = new ArrayList<>();
                    for (int seed : seeds) {
                        String text = join(new Random(seed), PATTERN_PIECES, 5);
                        try {
                            builder.http(text, request -> null);
                            accepted.add(text);
                        } catch (IllegalArgumentException refused) {
                            assertThat(refused.getMessage()).contains("'" + text + "'");
                        }
                    }
                    try {
                        Router router = builder.build();
                        assertThat(router.routes()).hasSize(accepted.size());
                    } catch (IllegalArgumentException duplicate) {
                        assertThat(duplicate.getMessage()).startsWith("duplicate route '");
                        assertThat(accepted)
                                .anyMatch(text -> duplicate.getMessage().contains("'" + text + "'"));
                    }
                });
    }

    @Test
    void matchingRandomPathsNeverThrowsAndAgreesWithAStrictDecoder() {
        Fuzz.check(3L, 50_000, random -> join(random, PATH_PIECES, 10), path -> {
            Optional<RouteMatch> match = ROUTER.match(path);
            List<String> reference = strictSegments(path);
            assertThat(PathSegments.decode(path)).isEqualTo(reference);
            if (match.isEmpty()) {
                return;
            }
            assertThat(reference).as("only a path that decodes can match").isNotNull();
            assertThat(match.get().params())
                    .isEqualTo(expectedParams(match.get().route().pattern().text(), reference));
        });
    }

    @Test
    void encodedSegmentsDecodeToWhatWasEncodedAndStayOneSegment() {
        String alphabet = "ab/%.?#+ ;=~\u00e9\u20ac\u0000\u00ff";
        PathPattern three = PathPattern.parse("/{a}/{b}/{c}");
        Fuzz.check(
                4L,
                20_000,
                random -> List.of(
                        Fuzz.string(random, alphabet, 6) + (random.nextInt(8) == 0 ? "\ud83d\ude00" : ""),
                        Fuzz.string(random, alphabet, 6),
                        Fuzz.string(random, alphabet, 6)),
                segments -> {
                    StringBuilder path = new StringBuilder();
                    segments.forEach(segment -> path.append('/').append(encode(segment)));
                    assertThat(PathSegments.decode(path.toString())).isEqualTo(segments);
                    Map<String, String> params = three.match(segments);
                    if (segments.stream().anyMatch(String::isEmpty)) {
                        assertThat(params).isNull();
                    } else {
                        assertThat(params)
                                .containsExactly(
                                        Map.entry("a", segments.get(0)),
                                        Map.entry("b", segments.get(1)),
                                        Map.entry("c", segments.get(2)));
                    }
                });
    }

    /** Regressions found by the generators above. */
    @Test
    void onlyAsciiHexDigitsMakeAnEscape() {
        // Character.digit accepts fullwidth and Arabic-Indic digits: '%' + fullwidth "2E" is not "."
        assertThat(PathSegments.decodeComponent("%\uff12\uff25")).isNull();
        assertThat(PathSegments.decodeComponent("%\u0663\u0661")).isNull();
        assertThat(PathSegments.decode("/static/%\uff12\uff25%\uff12\uff25/secret"))
                .isNull();
        assertThat(ROUTER.match("/%\u0663\u0661")).isEmpty();
    }

    @Test
    void aLoneSurrogateIsNotAPath() {
        // it used to be encoded as '?' and match a parameter
        assertThat(PathSegments.decodeComponent("a\ud800")).isNull();
        assertThat(PathSegments.decodeComponent("\udc00")).isNull();
        assertThat(ROUTER.match("/ws/chat/\ud800")).isEmpty();
        assertThat(PathSegments.decodeComponent("\ud83d\ude00")).isEqualTo("\ud83d\ude00");
        assertThat(PathSegments.decodeComponent("\ud836\udc00")).isEqualTo("\ud836\udc00"); // U+1D800
    }

    private static String join(Random random, String[] pieces, int max) {
        StringBuilder out = new StringBuilder();
        if (random.nextInt(4) != 0) {
            out.append('/');
        }
        int count = random.nextInt(max + 1);
        for (int i = 0; i < count; i++) {
            out.append(pieces[random.nextInt(pieces.length)]);
        }
        return out.toString();
    }

    /** A decoded path the pattern {@code text} must match: each parameter becomes "v". */
    private static List<String> example(String text) {
        List<String> path = new ArrayList<>();
        if (text.equals("/")) {
            return path;
        }
        for (String part : text.substring(1).split("/", -1)) {
            path.add(part.startsWith("{") ? "v" : part);
        }
        return path;
    }

    /** The parameters {@code text} must give for {@code segments}, read from the pattern by hand. */
    private static Map<String, String> expectedParams(String text, List<String> segments) {
        String[] parts = text.equals("/") ? new String[0] : text.substring(1).split("/", -1);
        Map<String, String> params = new java.util.LinkedHashMap<>();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.endsWith("...}")) {
                params.put(
                        part.substring(1, part.length() - 4), String.join("/", segments.subList(i, segments.size())));
                assertThat(segments.size()).isGreaterThan(i);
                return params;
            }
            if (part.startsWith("{")) {
                params.put(part.substring(1, part.length() - 1), segments.get(i));
            } else {
                assertThat(segments.get(i)).isEqualTo(part);
            }
        }
        assertThat(segments).hasSize(parts.length);
        return params;
    }

    /** Splits on every raw '/' and decodes each piece strictly; {@code null} if any piece is malformed. */
    private static List<String> strictSegments(String path) {
        if (!path.startsWith("/")) {
            return null;
        }
        List<String> segments = new ArrayList<>();
        if (path.length() == 1) {
            return segments;
        }
        for (String raw : path.substring(1).split("/", -1)) {
            String decoded = strictDecode(raw);
            if (decoded == null) {
                return null;
            }
            segments.add(decoded);
        }
        return segments;
    }

    /** RFC 3986 percent-decoding: ASCII hex only; chars below 0x100 are bytes; the result must be UTF-8. */
    private static String strictDecode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || hex(raw.charAt(i + 1)) < 0 || hex(raw.charAt(i + 2)) < 0) {
                    return null;
                }
                bytes.write(hex(raw.charAt(i + 1)) << 4 | hex(raw.charAt(i + 2)));
                i += 2;
            } else if (c < 0x100) {
                bytes.write(c);
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < raw.length()
                    && Character.isLowSurrogate(raw.charAt(i + 1))) {
                bytes.writeBytes(raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
                i++;
            } else if (Character.isSurrogate(c)) {
                return null;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Percent-encodes every byte of the UTF-8 form that is not an unreserved character. */
    private static String encode(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
