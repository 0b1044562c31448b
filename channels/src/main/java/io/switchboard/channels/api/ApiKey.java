/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels.api;

import io.switchboard.session.Scope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

/**
 * The key a backend must show to call the server API: in {@code X-API-Key: KEY}, or as Centrifugo
 * also accepts, {@code Authorization: apikey KEY}. Without a key the API is off and every call is
 * refused. Keys are compared by their SHA-256 digests, in constant time, so neither the key nor its
 * length can be learned by timing the refusals.
 */
public final class ApiKey {

    /** No key: the server API refuses every call. */
    public static final ApiKey NONE = new ApiKey(null);

    private static final String SCHEME = "apikey ";

    private final byte[] digest;

    private ApiKey(byte[] digest) {
        this.digest = digest;
    }

    /** The key {@code key}; null or blank is {@link #NONE}. */
    public static ApiKey of(String key) {
        return key == null || key.isBlank() ? NONE : new ApiKey(sha256(key));
    }

    /** Whether the API is on at all. */
    public boolean enabled() {
        return digest != null;
    }

    /** What {@code scope}'s headers say about the caller. */
    Verdict check(Scope scope) {
        if (digest == null) {
            return Verdict.DISABLED;
        }
        Optional<String> shown = shown(scope);
        if (shown.isEmpty()) {
            return Verdict.MISSING;
        }
        return MessageDigest.isEqual(digest, sha256(shown.get())) ? Verdict.ADMITTED : Verdict.WRONG;
    }

    private static Optional<String> shown(Scope scope) {
        Optional<String> header = scope.header("X-API-Key");
        if (header.isPresent()) {
            return header;
        }
        return scope.header("Authorization")
                .filter(value -> value.length() > SCHEME.length()
                        && value.substring(0, SCHEME.length())
                                .toLowerCase(Locale.ROOT)
                                .equals(SCHEME))
                .map(value -> value.substring(SCHEME.length()).trim());
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** The outcome of a check. */
    enum Verdict {
        ADMITTED,
        MISSING,
        WRONG,
        DISABLED
    }

    @Override
    public String toString() {
        return digest == null ? "ApiKey[none]" : "ApiKey[set]"; // never the key
    }
}
