/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.session.CloseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JavaScript client's table of close codes that mean "reconnect" ({@code RECONNECT_CODES} and
 * {@code RECONNECT_RANGES} in {@code reconnecting-socket.js}, which {@code switchboard.js} re-exports) says exactly what {@link CloseStatus#reconnect()}
 * says, for every code a close frame can carry or a browser can report.
 */
class CloseCodesMirrorTest {

    private static final Pattern CODES =
            Pattern.compile("export const RECONNECT_CODES = Object\\.freeze\\(\\[([0-9,\\s]*)]\\);");
    private static final Pattern RANGES = Pattern.compile(
            "export const RECONNECT_RANGES = Object\\.freeze\\(\\[((?:\\s*Object\\.freeze\\(\\[\\s*\\d+\\s*,\\s*\\d+\\s*]\\),?)*)\\s*]\\);");
    private static final Pattern RANGE = Pattern.compile("\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*]");

    @Test
    void theJavaScriptClientReconnectsExactlyWhenCloseStatusSaysSo() throws IOException {
        String source = socketJs();
        List<Integer> codes = codes(source);
        List<int[]> ranges = ranges(source);
        List<String> differences = new ArrayList<>();
        for (int code = 1000; code <= 4999; code++) {
            boolean javaScript = codes.contains(code) || inRange(code, ranges);
            boolean java = CloseStatus.of(code, "").reconnect();
            if (javaScript != java) {
                differences.add(code + " (Java " + (java ? "reconnects" : "stays closed") + ")");
            }
        }
        assertThat(differences)
                .as("codes on which switchboard.js and CloseStatus.reconnect() disagree")
                .isEmpty();
    }

    @Test
    void theTableIsWhereTheTestLooks() throws IOException {
        String source = socketJs();
        assertThat(codes(source)).contains(1001, 1006, 1012);
        assertThat(ranges(source)).isNotEmpty();
        assertThat(source).contains("shouldReconnect(code)");
    }

    private static String socketJs() throws IOException {
        try (InputStream in =
                CloseCodesMirrorTest.class.getClassLoader().getResourceAsStream("web/reconnecting-socket.js")) {
            assertThat(in).as("web/reconnecting-socket.js on the classpath").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<Integer> codes(String source) {
        Matcher matcher = CODES.matcher(source);
        assertThat(matcher.find())
                .as("reconnecting-socket.js declares RECONNECT_CODES as a frozen array literal")
                .isTrue();
        List<Integer> codes = new ArrayList<>();
        for (String code : matcher.group(1).split(",")) {
            if (!code.isBlank()) {
                codes.add(Integer.parseInt(code.strip()));
            }
        }
        return codes;
    }

    private static List<int[]> ranges(String source) {
        Matcher matcher = RANGES.matcher(source);
        assertThat(matcher.find())
                .as("reconnecting-socket.js declares RECONNECT_RANGES as frozen [low, high] pairs")
                .isTrue();
        List<int[]> ranges = new ArrayList<>();
        Matcher range = RANGE.matcher(matcher.group(1));
        while (range.find()) {
            ranges.add(new int[] {Integer.parseInt(range.group(1)), Integer.parseInt(range.group(2))});
        }
        return ranges;
    }

    private static boolean inRange(int code, List<int[]> ranges) {
        return ranges.stream().anyMatch(r -> code >= r[0] && code <= r[1]);
    }
}
