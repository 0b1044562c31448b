/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

/**
 * The rule for group names: what {@link Session#join} accepts and every engine checks, so that a
 * name good on one node is good on all.
 */
public final class Groups {

    /** Longest group name. */
    public static final int MAX_NAME_LENGTH = 200;

    private Groups() {}

    /**
     * Returns {@code name} if it is a valid group name: 1 to {@value #MAX_NAME_LENGTH} printable ASCII
     * characters without spaces. Fails with a message naming it otherwise.
     */
    public static String requireValidName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(
                    "a group name is 1 to " + MAX_NAME_LENGTH + " characters: '" + name + "'");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw new IllegalArgumentException("a group name is printable ASCII without spaces: '" + name + "'");
            }
        }
        return name;
    }
}
