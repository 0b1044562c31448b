/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import io.switchboard.settings.Limits;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * How the value of one kind of setting is read and written: picocli's type and converter, what is
 * done with picocli's value once every source is read, the text a default is written as on the
 * command line ({@code 64KiB}, {@code 5s}), and as people read it in the README ({@code 64 KiB},
 * {@code 5 s}).
 *
 * @param type the value's type as picocli holds it
 * @param converter reads the text of an option, a config key or an environment variable, or {@code
 *     null} for picocli's own
 * @param finish turns picocli's value into the setting's; fails with {@link IllegalArgumentException}
 *     whose message follows the option's name ({@code must be close or drop, not 'shout'})
 * @param written the value as one would write it in an option ({@code 64KiB}), or {@code null} for
 *     no default
 * @param readable the value as the README's limits table shows it ({@code 64 KiB})
 * @param <T> the value's type
 */
record Unit<T>(
        Class<?> type,
        CommandLine.ITypeConverter<?> converter,
        Function<Object, T> finish,
        Function<T, String> written,
        Function<T, String> readable) {

    /** A size in bytes: {@code 65536}, {@code 64KiB}, {@code 1MiB}. */
    static final Unit<Integer> SIZE = new Unit<>(
            Integer.class, new Converters.ByteSize(), Integer.class::cast, Converters::size, n -> Limits.bytes(n));

    /** A duration: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 24h}. */
    static final Unit<Duration> DURATION = new Unit<>(
            Duration.class, new Converters.TimeSpan(), Duration.class::cast, Converters::span, Converters::describe);

    /** A whole number; the README writes it with thousands separators. */
    static final Unit<Integer> COUNT = new Unit<>(
            Integer.class, null, Integer.class::cast, String::valueOf, n -> NumberFormat.getIntegerInstance(Locale.ROOT)
                    .format(n));

    /** Any text. */
    static final Unit<String> TEXT = new Unit<>(String.class, null, String.class::cast, text -> text, text -> text);

    /** On or off. */
    static final Unit<Boolean> SWITCH =
            new Unit<>(boolean.class, null, Boolean.class::cast, String::valueOf, on -> on ? "on" : "off");

    /** A file. */
    static final Unit<Path> FILE = new Unit<>(Path.class, null, Path.class::cast, Path::toString, Path::toString);

    /** A comma-separated list (picocli splits it); entries are trimmed and empty ones left out. */
    static final Unit<List<String>> LIST = new Unit<>(
            List.class,
            null,
            Unit::entries,
            entries -> entries.isEmpty() ? null : String.join(",", entries),
            entries -> String.join(", ", entries));

    /** One of the constants of {@code type}, written in lower case, read in any case. */
    static <E extends Enum<E>> Unit<E> choice(Class<E> type) {
        Function<E, String> lower = value -> value.name().toLowerCase(Locale.ROOT);
        return new Unit<>(String.class, null, text -> constant(type, (String) text), lower, lower);
    }

    private static List<String> entries(Object list) {
        return ((List<?>) list)
                .stream()
                        .map(entry -> entry.toString().trim())
                        .filter(entry -> !entry.isEmpty())
                        .toList();
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String text) {
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String choices = Arrays.stream(type.getEnumConstants())
                    .map(value -> value.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(" or "));
            throw new IllegalArgumentException("must be " + choices + ", not '" + text + "'");
        }
    }
}
