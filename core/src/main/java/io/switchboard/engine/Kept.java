/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.engine;

import io.switchboard.engine.History.Entry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What an {@link InMemoryHistory} keeps under one name, a stream or a queue, with an estimate of the
 * heap it takes. Fields are guarded by the object's lock, but {@code expiresAt}, by the {@link Keeper}'s map.
 */
abstract sealed class Kept permits Kept.Stream, Kept.Queue {

    /** Estimated heap per entry beside its characters: the entry, the string, its array, a slot. */
    static final int ENTRY_OVERHEAD = 96;

    /** Estimated heap per stream or queue beside its name: the object, its deque, its map entry. */
    static final int CONTAINER_OVERHEAD = 256;

    /** When it is forgotten, in the clock's milliseconds: its last write's time to live from then. */
    long expiresAt;

    long bytes;
    boolean gone;

    Kept(String name) {
        bytes = CONTAINER_OVERHEAD + 2L * name.length();
    }

    /** Empties it; returns what a queue held, oldest first (nothing for a stream). */
    abstract List<String> clear();

    /** The length of {@code text} in UTF-8, without encoding it (a surrogate pair counts four). */
    static long utf8Length(String text) {
        long length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            length += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return length;
    }

    /** Two bytes a character (an upper bound whatever the string's coding) plus the overhead. */
    static long cost(String text) {
        return ENTRY_OVERHEAD + 2L * text.length();
    }

    /** A stream's newest entries, its last id, and which life of the stream this is. */
    static final class Stream extends Kept {
        final long birth;
        long top;
        final ArrayDeque<Entry> entries = new ArrayDeque<>();

        Stream(String name, long birth) {
            super(name);
            this.birth = birth;
        }

        void add(Entry entry, int keep) {
            entries.addLast(entry);
            bytes += cost(entry.payload());
            while (entries.size() > keep) {
                bytes -= cost(entries.removeFirst().payload());
            }
        }

        @Override
        List<String> clear() {
            entries.clear();
            return List.of();
        }
    }

    /** A queue's newest payloads. */
    static final class Queue extends Kept {
        final ArrayDeque<String> payloads = new ArrayDeque<>();

        Queue(String name) {
            super(name);
        }

        void add(String payload, int keep) {
            payloads.addLast(payload);
            bytes += cost(payload);
            while (payloads.size() > keep) {
                bytes -= cost(payloads.removeFirst());
            }
        }

        /** The oldest payloads that fit {@code maxBytes} as {@link History#take} counts, at least one, taken out. */
        History.Page take(long maxBytes) {
            List<String> page = new ArrayList<>();
            long used = 0;
            while (!payloads.isEmpty()) {
                long next = used + utf8Length(payloads.peekFirst()) + 1;
                if (next > maxBytes && !page.isEmpty()) {
                    break;
                }
                used = next;
                String payload = payloads.removeFirst();
                bytes -= cost(payload);
                page.add(payload);
            }
            return new History.Page(page, !payloads.isEmpty());
        }

        @Override
        List<String> clear() {
            List<String> all = List.copyOf(payloads);
            payloads.clear();
            return all;
        }
    }
}
