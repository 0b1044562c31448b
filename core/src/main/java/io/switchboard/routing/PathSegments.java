/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.routing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Splits a raw request path into percent-decoded segments. */
public final class PathSegments {

    private PathSegments() {}

    /**
     * The decoded segments of {@code rawPath} ({@code "/a/b%20c"} is {@code [a, b c]}), or {@code null}
     * when it does not start with '/' or holds a bad escape or bytes that are not UTF-8.
     */
    public static List<String> decode(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return null;
        }
        List<String> segments = new ArrayList<>();
        if (rawPath.length() == 1) {
            return segments;
        }
        int start = 1;
        while (true) {
            int slash = rawPath.indexOf('/', start);
            String raw = slash < 0 ? rawPath.substring(start) : rawPath.substring(start, slash);
            String decoded = decodeComponent(raw);
            if (decoded == null) {
                return null;
            }
            segments.add(decoded);
            if (slash < 0) {
                return segments;
            }
            start = slash + 1;
        }
    }

    private static boolean isPlainAscii(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' || c >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** The value of an ASCII hex digit, or -1: {@code Character.digit} would take fullwidth digits too. */
    private static int hexDigit(char c) {
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

    /** Percent-decodes one path segment ('+' stays '+'); {@code null} when malformed. */
    public static String decodeComponent(String raw) {
        if (isPlainAscii(raw)) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int high = hexDigit(raw.charAt(i + 1));
                int low = hexDigit(raw.charAt(i + 2));
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c < 0x100) {
                // The request line is read as ISO-8859-1: each char below 0x100 is one raw byte.
                bytes.write(c);
            } else {
                int codePoint = raw.codePointAt(i);
                if (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE) {
                    return null; // a lone surrogate is no character: UTF-8 would write it as '?'
                }
                byte[] encoded = Character.toString(codePoint).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
                i += Character.charCount(codePoint) - 1;
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
}
