/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.routing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A route's path: literal segments, named parameters ({@code /ws/chat/{room}}) and, last, an
 * optional parameter that takes the rest of the path ({@code /static/{file...}}). Matching is exact:
 * no trailing slash is added or removed.
 */
public final class PathPattern implements Comparable<PathPattern> {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String text;
    private final List<Segment> segments;

    private PathPattern(String text, List<Segment> segments) {
        this.text = text;
        this.segments = segments;
    }

    /** Parses {@code text}; fails with a message naming the pattern and what is wrong with it. */
    public static PathPattern parse(String text) {
        if (text == null || !text.startsWith("/")) {
            throw invalid(text, "it must start with '/'");
        }
        if (text.equals("/")) {
            return new PathPattern(text, List.of());
        }
        if (text.endsWith("/")) {
            throw invalid(text, "it must not end with '/'");
        }
        String[] parts = text.substring(1).split("/", -1);
        List<Segment> segments = new ArrayList<>(parts.length);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < parts.length; i++) {
            Segment segment = segment(text, parts[i]);
            if (segment.kind() == Kind.REST && i != parts.length - 1) {
                throw invalid(text, "'{" + segment.value() + "...}' must be the last segment");
            }
            if (segment.kind() != Kind.LITERAL && !names.add(segment.value())) {
                throw invalid(text, "parameter '" + segment.value() + "' appears twice");
            }
            segments.add(segment);
        }
        return new PathPattern(text, List.copyOf(segments));
    }

    private static Segment segment(String text, String part) {
        if (part.isEmpty()) {
            throw invalid(text, "it has an empty segment");
        }
        if (part.startsWith("{") && part.endsWith("}")) {
            String inner = part.substring(1, part.length() - 1);
            Kind kind = inner.endsWith("...") ? Kind.REST : Kind.PARAM;
            String name = kind == Kind.REST ? inner.substring(0, inner.length() - 3) : inner;
            if (!NAME.matcher(name).matches()) {
                throw invalid(text, "'" + part + "' is not a valid parameter (letters, digits, '_')");
            }
            return new Segment(kind, name);
        }
        if (part.indexOf('{') >= 0 || part.indexOf('}') >= 0) {
            throw invalid(text, "'" + part + "' mixes braces with text; a parameter is a whole segment");
        }
        if (part.equals(".") || part.equals("..")) {
            throw invalid(text, "it has a '" + part + "' segment");
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c <= ' ' || c == '?' || c == '#' || c == '%' || c == 0x7f) {
                throw invalid(text, "'" + part + "' holds a character not allowed in a path");
            }
        }
        return new Segment(Kind.LITERAL, part);
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid route '" + text + "': " + why);
    }

    /** The pattern as written. */
    public String text() {
        return text;
    }

    /** This pattern below {@code prefix}, a pattern too: {@code /api} + {@code /items} is {@code /api/items}. */
    public PathPattern under(PathPattern prefix) {
        if (prefix.segments.isEmpty()) {
            return this;
        }
        if (prefix.hasRest()) {
            throw invalid(prefix.text, "a mount prefix cannot end with a '{...}' parameter");
        }
        return parse(segments.isEmpty() ? prefix.text : prefix.text + text);
    }

    /** Whether every segment is literal. */
    public boolean isLiteral() {
        return segments.stream().allMatch(s -> s.kind() == Kind.LITERAL);
    }

    private boolean hasRest() {
        return !segments.isEmpty() && segments.get(segments.size() - 1).kind() == Kind.REST;
    }

    /**
     * Matches already decoded path segments; returns the parameters, or {@code null} when the path
     * does not match.
     */
    public Map<String, String> match(List<String> path) {
        boolean rest = hasRest();
        int fixed = rest ? segments.size() - 1 : segments.size();
        if (rest ? path.size() <= fixed : path.size() != fixed) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < fixed; i++) {
            Segment segment = segments.get(i);
            String value = path.get(i);
            if (segment.kind() == Kind.LITERAL) {
                if (!segment.value().equals(value)) {
                    return null;
                }
            } else {
                if (value.isEmpty()) {
                    return null;
                }
                params = put(params, segment.value(), value);
            }
        }
        if (rest) {
            params = put(params, segments.get(fixed).value(), String.join("/", path.subList(fixed, path.size())));
        }
        return params == null ? Map.of() : params;
    }

    private static Map<String, String> put(Map<String, String> params, String name, String value) {
        Map<String, String> target = params == null ? new LinkedHashMap<>() : params;
        target.put(name, value);
        return target;
    }

    /** The pattern with parameter names erased: two routes with the same shape are duplicates. */
    String shape() {
        StringBuilder shape = new StringBuilder();
        for (Segment segment : segments) {
            shape.append('/')
                    .append(
                            switch (segment.kind()) {
                                case LITERAL -> segment.value();
                                case PARAM -> "{}";
                                case REST -> "{...}";
                            });
        }
        return shape.isEmpty() ? "/" : shape.toString();
    }

    /** More specific first: at the first difference, a literal beats a parameter beats the rest. */
    @Override
    public int compareTo(PathPattern other) {
        int n = Math.min(segments.size(), other.segments.size());
        for (int i = 0; i < n; i++) {
            int byKind = segments.get(i).kind().compareTo(other.segments.get(i).kind());
            if (byKind != 0) {
                return byKind;
            }
        }
        return Integer.compare(other.segments.size(), segments.size());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PathPattern pattern && pattern.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    private enum Kind {
        LITERAL,
        PARAM,
        REST
    }

    private record Segment(Kind kind, String value) {}
}
