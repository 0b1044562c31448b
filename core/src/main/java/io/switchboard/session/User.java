/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

import java.util.Map;
import java.util.Objects;

/**
 * An authenticated identity. Every open session of a user is reachable by {@link #name()}.
 *
 * @param name the user's name, unique per user
 * @param claims what the authenticator learned about the user (token claims, roles)
 */
public record User(String name, Map<String, Object> claims) {

    public User {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a user needs a name");
        }
        claims = Map.copyOf(claims);
    }

    /** A user with no claims. */
    public static User named(String name) {
        return new User(name, Map.of());
    }
}
