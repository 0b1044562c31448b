/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.admin;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The admin password and the session tokens it buys. A token is {@code EXPIRY.NONCE.SIGNATURE}: the
 * signature an HMAC-SHA256 of the rest under a key derived from the password, so any node with the
 * same password checks it without keeping sessions, and changing the password ends every session.
 * Every comparison takes the same time whatever the input, so timing tells an attacker nothing.
 */
final class AdminAuth {

    /** How long a login lasts. */
    static final Duration SESSION = Duration.ofHours(8);

    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] passwordDigest;
    private final byte[] key;
    private final Clock clock;

    AdminAuth(String password, Clock clock) {
        Objects.requireNonNull(password, "password");
        if (password.isEmpty()) {
            throw new IllegalArgumentException("the admin password is empty");
        }
        this.passwordDigest = sha256(password);
        this.key = hmac(password.getBytes(StandardCharsets.UTF_8), "switchboard admin session key");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether {@code candidate} is the password; compares digests, so neither length nor content leaks. */
    boolean passwordMatches(String candidate) {
        return candidate != null && MessageDigest.isEqual(passwordDigest, sha256(candidate));
    }

    /** A new session token, valid for {@link #SESSION}. */
    String newSession() {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        long expiry = clock.instant().plus(SESSION).getEpochSecond();
        String body = expiry + "." + BASE64.encodeToString(nonce);
        return body + "." + sign(body);
    }

    /** Whether {@code token} was made by {@link #newSession()} with this password and has not expired. */
    boolean sessionValid(String token) {
        if (token == null) {
            return false;
        }
        int last = token.lastIndexOf('.');
        int first = token.indexOf('.');
        if (first <= 0 || last <= first) {
            return false;
        }
        String body = token.substring(0, last);
        byte[] expected = sign(body).getBytes(StandardCharsets.US_ASCII);
        byte[] given = token.substring(last + 1).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given)) {
            return false;
        }
        try {
            return Long.parseLong(token.substring(0, first)) > clock.instant().getEpochSecond();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The CSRF token of a session: state-changing requests carry it in a header, which a page of another
     * site cannot read nor set.
     */
    String csrfOf(String session) {
        return sign("csrf:" + session);
    }

    /** Whether {@code given} is the CSRF token of {@code session}. */
    boolean csrfMatches(String session, String given) {
        return given != null
                && MessageDigest.isEqual(
                        csrfOf(session).getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
    }

    private String sign(String text) {
        return BASE64.encodeToString(hmac(key, text));
    }

    private static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
