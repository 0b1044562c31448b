/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.client;

import java.nio.charset.StandardCharsets;

/**
 * Reads the server's side of Centrifugo's JSON client protocol the cheap way: a frame holds one or
 * more JSON objects separated by newlines, and each is classified by a few byte comparisons instead
 * of being parsed: {@code {}} is the protocol's ping, an object starting {@code {"id":} is a reply to
 * a command, one holding {@code "pub":} is a publication push, anything else another push. The
 * numbers a scenario needs (offset, sequence, send time) are then picked out of a line by field
 * name. This relies on the server's compact JSON (no white space before a key, which Jackson never
 * writes), and on the bench's own data using field names that the envelope does not.
 *
 * <p>Stateless; works on a byte array the caller filled from the frame.
 */
public final class ProtocolScanner {

    /** Returned by {@link #number} when the field is absent or holds no whole number. */
    public static final long ABSENT = Long.MIN_VALUE;

    private static final byte[] ID = bytes("{\"id\":");
    private static final byte[] ERROR = bytes("\"error\":");
    private static final byte[] PUB = bytes("\"pub\":");
    private static final byte[] DISCONNECT = bytes("\"disconnect\":");

    private ProtocolScanner() {}

    /** What the lines of a frame are, one call per line, in order. */
    public interface Sink {
        /** The protocol's ping ({@code {}}): the client answers {@code {}}. */
        void onPing();

        /** A reply to command {@code id}; {@code error} when it carries an error instead of a result. */
        void onReply(long id, boolean error, byte[] bytes, int from, int to);

        /** A publication push: {@code from} is where its {@code "pub":} starts, {@code to} where the line ends. */
        void onPublication(byte[] bytes, int from, int to);

        /** Any other push (join, leave, unsubscribe, message...); {@code disconnect} when the server says it disconnects us. */
        void onOtherPush(boolean disconnect, byte[] bytes, int from, int to);
    }

    /** Hands each newline-separated line of {@code bytes[from, to)} to {@code sink}; returns how many lines. */
    public static int scan(byte[] bytes, int from, int to, Sink sink) {
        int lines = 0;
        int start = from;
        while (start < to) {
            int end = start;
            while (end < to && bytes[end] != '\n') {
                end++;
            }
            if (end > start) {
                line(bytes, start, end, sink);
                lines++;
            }
            start = end + 1;
        }
        return lines;
    }

    private static void line(byte[] bytes, int from, int to, Sink sink) {
        int pub;
        if (to - from == 2 && bytes[from] == '{' && bytes[from + 1] == '}') {
            sink.onPing();
        } else if (startsWith(bytes, from, to, ID)) {
            sink.onReply(number(bytes, from, to, ID), indexOf(bytes, from, to, ERROR) >= 0, bytes, from, to);
        } else if ((pub = indexOf(bytes, from, to, PUB)) >= 0) {
            sink.onPublication(bytes, pub, to);
        } else {
            sink.onOtherPush(indexOf(bytes, from, to, DISCONNECT) >= 0, bytes, from, to);
        }
    }

    /**
     * The whole number after the first occurrence of {@code field} (a quoted key and its colon,
     * e.g. {@code "offset":}) in {@code bytes[from, to)}, quoted or not; {@link #ABSENT} when there is none.
     */
    public static long number(byte[] bytes, int from, int to, byte[] field) {
        int at = indexOf(bytes, from, to, field);
        if (at < 0) {
            return ABSENT;
        }
        int i = at + field.length;
        while (i < to && (bytes[i] == ' ' || bytes[i] == '"')) {
            i++;
        }
        boolean negative = i < to && bytes[i] == '-';
        if (negative) {
            i++;
        }
        int digits = i;
        long value = 0;
        while (i < to && bytes[i] >= '0' && bytes[i] <= '9') {
            value = value * 10 + (bytes[i++] - '0');
        }
        if (i == digits) {
            return ABSENT;
        }
        return negative ? -value : value;
    }

    /**
     * As {@link #number}, for the last occurrence of {@code field}: quicker for a field near the end
     * of a line, as a publication's {@code "offset":} is.
     */
    public static long lastNumber(byte[] bytes, int from, int to, byte[] field) {
        int at = lastIndexOf(bytes, from, to, field);
        return at < 0 ? ABSENT : number(bytes, at, to, field);
    }

    /** Where {@code needle} last starts in {@code bytes[from, to)}, or -1. */
    public static int lastIndexOf(byte[] bytes, int from, int to, byte[] needle) {
        byte first = needle[0];
        outer:
        for (int i = to - needle.length; i >= from; i--) {
            if (bytes[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Where {@code needle} first starts in {@code bytes[from, to)}, or -1. */
    public static int indexOf(byte[] bytes, int from, int to, byte[] needle) {
        byte first = needle[0];
        int last = to - needle.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (bytes[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The ASCII bytes of a field name as it appears in JSON: {@code "name":}. */
    public static byte[] field(String name) {
        return bytes("\"" + name + "\":");
    }

    private static boolean startsWith(byte[] bytes, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int j = 0; j < prefix.length; j++) {
            if (bytes[from + j] != prefix[j]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
