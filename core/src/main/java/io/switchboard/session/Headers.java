/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Immutable HTTP headers; names compare without regard to case.
 *
 * <p>Every open connection keeps its handshake's headers for as long as it lives, so they are held
 * as one flat array of (lower-cased name, value) pairs in arrival order rather than as a map of
 * lists; a handshake has a handful of headers, so a scan finds one as fast as a hash would. Names
 * and values that nearly every handshake carries share one copy ({@link HeaderWords}).
 */
public final class Headers {

    private static final Headers EMPTY = new Headers(new String[0]);

    /** Name, value, name, value...: names lower-cased, repeated names kept in order. */
    private final String[] pairs;

    private Headers(String[] pairs) {
        this.pairs = pairs;
    }

    /** No headers. */
    public static Headers empty() {
        return EMPTY;
    }

    /** Headers from name/value pairs, in order: {@code of("Origin", "https://a.example", "Host", "a")}. */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("headers come in name/value pairs");
        }
        Builder builder = builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            builder.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return builder.build();
    }

    /** A builder that keeps repeated headers in order. */
    public static Builder builder() {
        return new Builder();
    }

    /** The first value of {@code name}, if present. */
    public Optional<String> first(String name) {
        int at = next(key(name), 0);
        return at < 0 ? Optional.empty() : Optional.of(pairs[at + 1]);
    }

    /** Every value of {@code name}, in order; empty when absent. */
    public List<String> all(String name) {
        String key = key(name);
        List<String> values = new ArrayList<>(1);
        for (int at = next(key, 0); at >= 0; at = next(key, at + 2)) {
            values.add(pairs[at + 1]);
        }
        return List.copyOf(values);
    }

    /** Whether {@code name} is present. */
    public boolean contains(String name) {
        return next(key(name), 0) >= 0;
    }

    /** The header names, lower-cased, in the order they first appeared. */
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < pairs.length; i += 2) {
            names.add(pairs[i]);
        }
        return Collections.unmodifiableSet(names);
    }

    @Override
    public String toString() {
        Map<String, List<String>> grouped = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            grouped.computeIfAbsent(pairs[i], k -> new ArrayList<>(1)).add(pairs[i + 1]);
        }
        return grouped.toString();
    }

    /** Index of the first pair named {@code key} at or after {@code from}, or -1. */
    private int next(String key, int from) {
        for (int i = from; i < pairs.length; i += 2) {
            if (pairs[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Collects headers; {@link #build()} makes the immutable result. */
    public static final class Builder {
        private final List<String> pairs = new ArrayList<>();

        private Builder() {}

        /** Adds one value of {@code name}. */
        public Builder add(String name, String value) {
            pairs.add(HeaderWords.name(key(name)));
            pairs.add(HeaderWords.value(Objects.requireNonNull(value, "value")));
            return this;
        }

        public Headers build() {
            return new Headers(pairs.toArray(new String[0]));
        }
    }
}
