/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The numbers a node gives the entries it sends while Redis cannot number them: each outage has an
 * epoch of its own (random, never stored) and counts each stream from 1 under it. An outage is one
 * immutable pair of epoch and counters, swapped whole (never cleared in place), so a thread that read
 * the old one keeps counting under the old epoch and no (epoch, stream, id) is handed out twice. Past
 * {@link #MAX_STREAMS} streams in one outage a new one begins, so the counters stay bounded whatever
 * names clients make up. Thread-safe.
 */
final class OutageNumbers {

    /** Streams counted in one outage; past it, another outage epoch. */
    static final int MAX_STREAMS = 10_000;

    /** An entry's epoch and id. */
    record Number(String epoch, long id) {}

    private record Outage(String epoch, ConcurrentMap<String, AtomicLong> tops) {
        static Outage fresh() {
            return new Outage(
                    HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()), new ConcurrentHashMap<>());
        }
    }

    private final AtomicReference<Outage> current = new AtomicReference<>(); // null while Redis numbers

    /** The next number of {@code stream} in the current outage, which begins if there is none. */
    Number next(String stream) {
        while (true) {
            Outage outage = outage();
            AtomicLong top = outage.tops().get(stream);
            if (top == null && outage.tops().size() >= MAX_STREAMS) {
                current.compareAndSet(outage, Outage.fresh());
                continue;
            }
            if (top == null) {
                top = outage.tops().computeIfAbsent(stream, key -> new AtomicLong());
            }
            return new Number(outage.epoch(), top.incrementAndGet());
        }
    }

    /** The current outage's epoch, beginning one if {@code begin} and there is none; else null. */
    String epoch(boolean begin) {
        Outage outage = begin ? outage() : current.get();
        return outage == null ? null : outage.epoch();
    }

    /** Redis numbers again: the next outage gets an epoch of its own. */
    void end() {
        current.set(null);
    }

    /** How many streams the current outage counts. */
    int size() {
        Outage outage = current.get();
        return outage == null ? 0 : outage.tops().size();
    }

    private Outage outage() {
        Outage outage = current.get();
        while (outage == null) {
            current.compareAndSet(null, Outage.fresh());
            outage = current.get();
        }
        return outage;
    }
}
