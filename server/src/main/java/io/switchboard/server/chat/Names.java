package io.switchboard.server.chat;

import java.util.regex.Pattern;

/** The rule for room and user names: 1 to 64 characters of {@code A-Z a-z 0-9 _ . -}. */
public final class Names {

    /** The rule in words, for error messages. */
    public static final String RULE = "1-64 characters of A-Z a-z 0-9 _ . -";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private Names() {}

    /** Whether {@code name} follows the rule. */
    public static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
