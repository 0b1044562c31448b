/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prometheus' text exposition format 0.0.4, parsed: each family's {@code # TYPE} and every sample with
 * its labels, so a test asks for {@code switchboard_connections_closed_total{code="1000"}} by name and
 * label rather than searching the text. Fails on a line the format does not allow.
 */
public final class Exposition {

    /** One sample line: a metric name, its labels, its value. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final Map<String, String> types = new HashMap<>();
    private final List<Sample> samples = new ArrayList<>();

    private Exposition() {}

    /** Parses {@code text}. */
    public static Exposition parse(String text) {
        Exposition parsed = new Exposition();
        for (String line : text.split("\n")) {
            parsed.line(line);
        }
        return parsed;
    }

    private void line(String line) {
        if (line.isBlank()) {
            return;
        }
        if (line.startsWith("# TYPE ")) {
            String[] parts = line.substring("# TYPE ".length()).split(" ");
            if (parts.length != 2 || types.put(parts[0], parts[1]) != null) {
                throw new IllegalArgumentException("bad or repeated TYPE line: " + line);
            }
        } else if (!line.startsWith("#")) {
            samples.add(new SampleReader(line).read());
        }
    }

    /** Every family declared by a {@code # TYPE} line. */
    public java.util.Set<String> families() {
        return java.util.Set.copyOf(types.keySet());
    }

    /** The family's type ({@code counter}, {@code gauge}, {@code histogram}...), if declared. */
    public Optional<String> type(String family) {
        return Optional.ofNullable(types.get(family));
    }

    /** Every sample named {@code name}. */
    public List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The one sample named {@code name} with exactly {@code labels}; fails when there is none. */
    public double value(String name, Map<String, String> labels) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().equals(labels))
                .map(Sample::value)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + labels + " among " + samples(name)));
    }

    /** The one sample named {@code name} without labels. */
    public double value(String name) {
        return value(name, Map.of());
    }

    /** The sum of the samples named {@code name} whose labels include {@code labels}. */
    public double sum(String name, Map<String, String> labels) {
        return samples(name).stream()
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value)
                .sum();
    }

    /** Reads {@code name{label="value",...} value [timestamp]}. */
    private static final class SampleReader {
        private final String line;
        private int at;

        SampleReader(String line) {
            this.line = line;
        }

        Sample read() {
            String name = name();
            Map<String, String> labels = new LinkedHashMap<>();
            if (at < line.length() && line.charAt(at) == '{') {
                at++;
                while (line.charAt(at) != '}') {
                    String label = name();
                    expect('=');
                    labels.put(label, quoted());
                    if (line.charAt(at) == ',') {
                        at++;
                    }
                }
                at++;
            }
            expect(' ');
            String[] rest = line.substring(at).split(" ");
            if (rest.length > 2) {
                throw new IllegalArgumentException("bad sample line: " + line);
            }
            return new Sample(name, Map.copyOf(labels), number(rest[0]));
        }

        private String name() {
            int start = at;
            while (at < line.length() && isNameChar(line.charAt(at))) {
                at++;
            }
            if (start == at) {
                throw new IllegalArgumentException("no name at " + start + ": " + line);
            }
            return line.substring(start, at);
        }

        private static boolean isNameChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == ':';
        }

        private String quoted() {
            expect('"');
            StringBuilder value = new StringBuilder();
            while (line.charAt(at) != '"') {
                char c = line.charAt(at++);
                if (c == '\\') {
                    char escaped = line.charAt(at++);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
            }
            at++;
            return value.toString();
        }

        private void expect(char c) {
            if (at >= line.length() || line.charAt(at) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + at + ": " + line);
            }
            at++;
        }

        private static double number(String text) {
            return switch (text) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(text);
            };
        }
    }
}
