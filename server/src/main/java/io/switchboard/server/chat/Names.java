/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.chat;

import java.util.regex.Pattern;

/**
 * The rule for room and user names: 1 to 64 characters of {@code A-Z a-z 0-9 _ . -}. The chat page
 * learns it from {@link ChatApplication#RULES_PATH}, so it is stated here only.
 */
public final class Names {

    /** The longest name, in characters. */
    public static final int MAX_LENGTH = 64;

    /**
     * The rule as a regular expression that means the same in Java and in a browser's {@code pattern}
     * attribute (whose class syntax wants the {@code -} escaped).
     */
    public static final String PATTERN = "[A-Za-z0-9_.\\-]{1," + MAX_LENGTH + "}";

    /** The rule in words, for error messages. */
    public static final String RULE = "1-" + MAX_LENGTH + " characters of A-Z a-z 0-9 _ . -";

    private static final Pattern NAME = Pattern.compile(PATTERN);

    private Names() {}

    /** Whether {@code name} follows the rule. */
    public static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
