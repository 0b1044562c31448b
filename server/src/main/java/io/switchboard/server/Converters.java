/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Values people write in options, config files and environment variables. */
final class Converters {

    private Converters() {}

    /** {@code 65536}, {@code 64KiB}, {@code 64k}, {@code 1MiB}, {@code 1m}: a size in bytes. */
    static final class ByteSize implements CommandLine.ITypeConverter<Integer> {
        private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib)?");

        @Override
        public Integer convert(String value) {
            Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not a size (write bytes, or a number with KiB or MiB)");
            }
            long bytes = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "b" : m.group(2);
            bytes *= unit.startsWith("k") ? 1024 : unit.startsWith("m") ? 1024 * 1024 : 1;
            if (bytes < 1 || bytes > Integer.MAX_VALUE) {
                throw new CommandLine.TypeConversionException("'" + value + "' is out of range (1 B to 2 GiB)");
            }
            return (int) bytes;
        }
    }

    /** {@code 5s}, {@code 500ms}, {@code 2m}, or ISO-8601 such as {@code PT5S}: a duration. */
    static final class TimeSpan implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern SPAN = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            String text = value.trim().toLowerCase(Locale.ROOT);
            Matcher m = SPAN.matcher(text);
            Duration duration;
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                duration = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            } else {
                try {
                    duration = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
                } catch (DateTimeParseException e) {
                    throw new CommandLine.TypeConversionException(
                            "'" + value + "' is not a duration (write 500ms, 5s, 2m or 1h)");
                }
            }
            if (duration.isNegative() || duration.isZero()) {
                throw new CommandLine.TypeConversionException("'" + value + "' must be longer than zero");
            }
            return duration;
        }
    }

    /** {@code bytes} as one writes it in an option: {@code 64KiB}, {@code 1MiB}, {@code 1000}. */
    static String size(int bytes) {
        if (bytes % (1 << 20) == 0) {
            return (bytes >> 20) + "MiB";
        }
        return bytes % (1 << 10) == 0 ? (bytes >> 10) + "KiB" : String.valueOf(bytes);
    }

    /** {@code duration} as one writes it in an option: {@code 24h}, {@code 2m}, {@code 5s}, {@code 500ms}. */
    static String span(Duration duration) {
        return describe(duration).replace(" min", "m").replace(" ", "");
    }

    /** {@code duration} as people read it: {@code 24 h}, {@code 90 s}, {@code 500 ms}. */
    static String describe(Duration duration) {
        long ms = duration.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + " h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + " min";
        }
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
