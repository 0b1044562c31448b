/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The namespaces a server knows, and the options of channels without one. A channel {@code a:b}
 * is in namespace {@code a}; a channel without {@code :} in none. A channel of a namespace that is
 * not configured is an unknown channel.
 *
 * @param defaults options of channels without a namespace
 * @param byName each namespace's options
 */
public record Namespaces(NamespaceOptions defaults, Map<String, NamespaceOptions> byName) {

    /** The separator between a namespace and the rest of a channel's name. */
    public static final char SEPARATOR = ':';

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** Channels without a namespace with the built-in defaults, and no namespace. */
    public static final Namespaces DEFAULTS = new Namespaces(NamespaceOptions.DEFAULTS, Map.of());

    public Namespaces {
        Objects.requireNonNull(defaults, "defaults");
        byName = Map.copyOf(byName);
        for (String name : byName.keySet()) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(
                        "a namespace name is 1 to 64 letters, digits, '_' or '-': '" + name + "'");
            }
        }
    }

    /** The options of {@code channel}; an unknown namespace is {@link ErrorCode#UNKNOWN_CHANNEL}. */
    public NamespaceOptions of(String channel) {
        int separator = channel.indexOf(SEPARATOR);
        if (separator < 0) {
            return defaults;
        }
        NamespaceOptions options = byName.get(channel.substring(0, separator));
        if (options == null) {
            throw new ChannelsException(ErrorCode.UNKNOWN_CHANNEL);
        }
        return options;
    }
}
