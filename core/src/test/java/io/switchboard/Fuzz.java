/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard;

import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a property over many generated inputs, reproducibly: one seed makes the whole run, and a
 * failure names the seed, the case number and the input, escaped so it can be pasted into a
 * regression test. {@code -Dswitchboard.fuzz.seed=N} reruns with another seed and
 * {@code -Dswitchboard.fuzz.runs=N} changes how many cases each property gets. Fuzz test classes
 * carry a {@code @Timeout} in a separate thread, so a parser stuck in a loop fails the test instead
 * of hanging the build.
 */
public final class Fuzz {

    private Fuzz() {}

    /** The seed for a property: the system property when set, {@code fallback} otherwise. */
    public static long seed(long fallback) {
        return Long.getLong("switchboard.fuzz.seed", fallback);
    }

    /** How many cases: {@code runs}, scaled by the system property when set. */
    public static int runs(int runs) {
        return Integer.getInteger("switchboard.fuzz.runs", runs);
    }

    /** Checks {@code property} on {@code runs} inputs made by {@code generate} from one seeded random. */
    public static <T> void check(long seed, int runs, Function<Random, T> generate, Consumer<T> property) {
        long chosen = seed(seed);
        Random random = new Random(chosen);
        int cases = runs(runs);
        for (int i = 0; i < cases; i++) {
            T input = generate.apply(random);
            try {
                property.accept(input);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError(
                        "case " + i + " of seed " + chosen + " failed for input " + quote(input) + ": " + e, e);
            }
        }
    }

    /** {@code value} as a Java literal when it is a string, so a failing input can be pasted as is. */
    public static String quote(Object value) {
        if (value instanceof java.util.Collection<?> list) {
            return list.stream().map(Fuzz::quote).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof java.util.Map<?, ?> map) {
            return map.entrySet().stream()
                    .map(e -> quote(e.getKey()) + "=" + quote(e.getValue()))
                    .collect(java.util.stream.Collectors.joining(", ", "{", "}"));
        }
        if (!(value instanceof CharSequence text)) {
            return String.valueOf(value);
        }
        StringBuilder out = new StringBuilder("\"");
        text.chars().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", c));
                    } else {
                        out.append((char) c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    /** A string of up to {@code max} characters, each drawn from {@code alphabet}. */
    public static String string(Random random, String alphabet, int max) {
        int length = random.nextInt(max + 1);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    /** One of {@code choices}. */
    @SafeVarargs
    public static <T> T pick(Random random, T... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
