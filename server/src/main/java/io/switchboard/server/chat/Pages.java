/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.chat;

import java.util.List;

/**
 * Which stored messages fit a welcome or a history page, by their size on the wire (UTF-8, as the
 * server stored them: already JSON, with every escape counted), so a room's history can never make a
 * message larger than a connection's outbound buffer.
 */
final class Pages {

    private Pages() {}

    /**
     * The newest of {@code payloads} (oldest first) whose sizes, plus a comma each, add up to {@code
     * budget}; at least one, though, when there is any: a page that holds nothing while more are kept
     * would have a client ask for the same page forever. One message fits a connection's buffer: it
     * was broadcast alone.
     */
    static List<String> newest(List<String> payloads, long budget) {
        int from = payloads.size();
        long used = 0;
        while (from > 0) {
            long next = used + utf8Length(payloads.get(from - 1)) + 1;
            if (next > budget && from < payloads.size()) {
                break;
            }
            used = next;
            from--;
        }
        return payloads.subList(from, payloads.size());
    }

    /** The oldest of {@code payloads} that fit {@code budget}, as {@link #newest} counts; at least one. */
    static List<String> oldest(List<String> payloads, long budget) {
        List<String> fitting = first(payloads, budget, 1);
        return fitting.isEmpty() && !payloads.isEmpty() ? payloads.subList(0, 1) : fitting;
    }

    /** The first of {@code names} that fit {@code budget} as JSON strings (quotes and comma counted). */
    static List<String> names(List<String> names, long budget) {
        return first(names, budget, 3);
    }

    private static List<String> first(List<String> texts, long budget, int extra) {
        int to = 0;
        long used = 0;
        while (to < texts.size()) {
            long next = used + utf8Length(texts.get(to)) + extra;
            if (next > budget) {
                break;
            }
            used = next;
            to++;
        }
        return texts.subList(0, to);
    }

    /** The length of {@code text} in UTF-8, without encoding it. */
    static long utf8Length(CharSequence text) {
        long length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c)) {
                length += 2; // with its low surrogate: four bytes for the pair
            } else {
                length += Character.isLowSurrogate(c) ? 2 : 3;
            }
        }
        return length;
    }
}
