/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import io.switchboard.channels.NamespaceOptions.ConflationKey;
import io.switchboard.channels.NamespaceOptions.PublishRule;
import io.switchboard.channels.NamespaceOptions.SubscribeRule;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link Namespaces} from settings file keys: {@code channel.OPTION=VALUE} for channels without
 * a namespace, {@code namespace.NAME.OPTION=VALUE} for each namespace. A namespace takes every
 * option it does not set from the channels without one, which take theirs from {@link
 * NamespaceOptions#DEFAULTS}.
 *
 * <pre>
 * channel.history-size=50
 * namespace.ticker.history-size=1
 * namespace.ticker.recovery=false
 * namespace.ticker.publish=server
 * namespace.ticker.conflate-key=field:symbol
 * namespace.private.subscribe=token
 * </pre>
 *
 * <p>Options: {@code history-size} (0 keeps none), {@code history-ttl} (500ms, 30s, 5m, 24h),
 * {@code presence}, {@code join-leave}, {@code recovery} ({@code true} or {@code false}), {@code
 * subscribe} ({@code anonymous}, {@code authenticated} or {@code token}), {@code publish} ({@code
 * clients}, {@code subscribers} or {@code server}) and {@code conflate-key} ({@code field:NAME} or
 * {@code tag:NAME}; empty for none). A {@code history-size} of 0 turns recovery off unless {@code
 * recovery} is set too. An unknown option, a bad value or a contradiction fails with an {@link
 * IllegalArgumentException} whose one-line message names the key.
 */
public final class NamespaceSettings {

    /** The prefix of the keys of channels without a namespace. */
    public static final String CHANNEL_PREFIX = "channel.";

    /** The prefix of the keys of a namespace. */
    public static final String NAMESPACE_PREFIX = "namespace.";

    /** Every option, in the order the messages list them. */
    public static final List<String> OPTIONS = List.of(
            "history-size",
            "history-ttl",
            "presence",
            "join-leave",
            "recovery",
            "subscribe",
            "publish",
            "conflate-key");

    private static final Pattern SPAN = Pattern.compile("(\\d+)(ms|s|m|h)");

    private NamespaceSettings() {}

    /** Whether {@code key} is one this class reads (whatever its option). */
    public static boolean isNamespaceKey(String key) {
        return key.startsWith(CHANNEL_PREFIX) || key.startsWith(NAMESPACE_PREFIX);
    }

    /** The namespaces that the keys of {@code settings} describe; other keys are ignored. */
    public static Namespaces read(Map<String, String> settings) {
        Map<String, String> channel = new TreeMap<>();
        Map<String, Map<String, String>> namespaces = new TreeMap<>();
        for (Map.Entry<String, String> entry : settings.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith(CHANNEL_PREFIX)) {
                channel.put(key, entry.getValue());
            } else if (key.startsWith(NAMESPACE_PREFIX)) {
                namespaces
                        .computeIfAbsent(namespaceOf(key), n -> new TreeMap<>())
                        .put(key, entry.getValue());
            }
        }
        NamespaceOptions defaults = options(CHANNEL_PREFIX, channel, NamespaceOptions.DEFAULTS);
        Map<String, NamespaceOptions> byName = new LinkedHashMap<>();
        namespaces.forEach((name, keys) -> byName.put(name, options(NAMESPACE_PREFIX + name + ".", keys, defaults)));
        return new Namespaces(defaults, byName);
    }

    private static String namespaceOf(String key) {
        String rest = key.substring(NAMESPACE_PREFIX.length());
        int dot = rest.lastIndexOf('.');
        if (dot <= 0) {
            throw new IllegalArgumentException(
                    "'" + key + "': a namespace key is namespace.NAME.OPTION, such as namespace.ticker.history-size");
        }
        String name = rest.substring(0, dot);
        try {
            new Namespaces(NamespaceOptions.DEFAULTS, Map.of(name, NamespaceOptions.DEFAULTS));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + key + "': " + e.getMessage());
        }
        return name;
    }

    /** The options {@code keys} (all starting with {@code prefix}) give, the rest from {@code parent}. */
    private static NamespaceOptions options(String prefix, Map<String, String> keys, NamespaceOptions parent) {
        Draft draft = new Draft(parent);
        keys.forEach((key, value) -> {
            String option = key.substring(prefix.length());
            try {
                draft.set(option, value.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + key + "': " + e.getMessage());
            }
        });
        try {
            return draft.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + prefix + "*': " + e.getMessage());
        }
    }

    /** The options being read, starting from the parent's. */
    private static final class Draft {
        private int historySize;
        private Duration historyTtl;
        private boolean presence;
        private boolean joinLeave;
        private boolean recovery;
        private boolean recoverySet;
        private SubscribeRule subscribe;
        private PublishRule publish;
        private ConflationKey conflation;

        Draft(NamespaceOptions parent) {
            historySize = parent.historySize();
            historyTtl = parent.historyTtl();
            presence = parent.presence();
            joinLeave = parent.joinLeave();
            recovery = parent.recovery();
            subscribe = parent.subscribe();
            publish = parent.publish();
            conflation = parent.conflation();
        }

        void set(String option, String value) {
            switch (option) {
                case "history-size" -> historySize = count(value);
                case "history-ttl" -> historyTtl = duration(value);
                case "presence" -> presence = bool(value);
                case "join-leave" -> joinLeave = bool(value);
                case "recovery" -> {
                    recovery = bool(value);
                    recoverySet = true;
                }
                case "subscribe" -> subscribe = choice(SubscribeRule.class, value);
                case "publish" -> publish = choice(PublishRule.class, value);
                case "conflate-key" -> conflation = conflationKey(value);
                default ->
                    throw new IllegalArgumentException("unknown option '" + option + "'; options are " + OPTIONS);
            }
        }

        NamespaceOptions build() {
            // No history means nothing to recover from: unless recovery is asked for outright, it is off.
            boolean recovers = historySize == 0 && !recoverySet ? false : recovery;
            return new NamespaceOptions(
                    historySize, historyTtl, presence, joinLeave, recovers, subscribe, publish, conflation);
        }
    }

    private static int count(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a whole number");
        }
    }

    private static boolean bool(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("'" + value + "' is neither true nor false");
        };
    }

    /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 24h} or ISO-8601 ({@code PT30S}), as the other settings. */
    static Duration duration(String value) {
        String text = value.toLowerCase(Locale.ROOT);
        Matcher m = SPAN.matcher(text);
        Duration duration;
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                duration = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException("'" + value + "' is too long a duration");
            }
        } else {
            try {
                duration = Duration.parse(value.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + value + "' is not a duration (write 500ms, 30s, 5m or 24h)");
            }
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("'" + value + "' must be longer than zero");
        }
        return duration;
    }

    private static <E extends Enum<E>> E choice(Class<E> kind, String value) {
        List<String> names = new ArrayList<>();
        for (E constant : kind.getEnumConstants()) {
            String name = constant.name().toLowerCase(Locale.ROOT);
            if (name.equals(value.toLowerCase(Locale.ROOT))) {
                return constant;
            }
            names.add(name);
        }
        throw new IllegalArgumentException("'" + value + "' is not one of " + String.join(", ", names));
    }

    private static ConflationKey conflationKey(String value) {
        if (value.isEmpty()) {
            return null;
        }
        int colon = value.indexOf(':');
        String kind = colon < 0 ? "" : value.substring(0, colon);
        String name = colon < 0 ? "" : value.substring(colon + 1);
        if (!(kind.equals("field") || kind.equals("tag")) || name.isBlank()) {
            throw new IllegalArgumentException("'" + value + "' is not field:NAME or tag:NAME");
        }
        return new ConflationKey(name, kind.equals("tag"));
    }
}
