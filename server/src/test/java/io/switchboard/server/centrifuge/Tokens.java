/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.centrifuge;

import io.switchboard.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HS256 tokens as a backend would mint them for the centrifuge client: connection tokens ({@code
 * sub}, {@code exp}) and subscription tokens ({@code sub}, {@code channel}, {@code exp}). Written
 * here, with the JDK alone, so that the server's verifier is checked against an independent signer.
 */
final class Tokens {

    /** The secret every node of these tests verifies with ({@code --jwt-secret}). */
    static final String SECRET = "centrifuge-client-tests-secret-0123456789";

    private static final Duration LIFETIME = Duration.ofHours(1);

    private Tokens() {}

    /** A connection token for {@code user}. */
    static String connection(String user) {
        return connection(user, LIFETIME);
    }

    /** A connection token for {@code user} that expires in {@code lifetime} (whole seconds). */
    static String connection(String user, Duration lifetime) {
        return sign(claims(user, lifetime));
    }

    /** A subscription token of {@code user} for {@code channel}. */
    static String subscription(String user, String channel) {
        return subscription(user, channel, LIFETIME);
    }

    /** A subscription token of {@code user} for {@code channel} that expires in {@code lifetime} (whole seconds). */
    static String subscription(String user, String channel, Duration lifetime) {
        Map<String, Object> claims = claims(user, lifetime);
        claims.put("channel", channel);
        return sign(claims);
    }

    private static Map<String, Object> claims(String user, Duration lifetime) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", user);
        claims.put("exp", Instant.now().plus(lifetime).getEpochSecond());
        return claims;
    }

    private static String sign(Map<String, Object> claims) {
        String unsigned = part(Map.of("alg", "HS256", "typ", "JWT")) + "." + part(claims);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] signature = mac.doFinal(unsigned.getBytes(StandardCharsets.US_ASCII));
            return unsigned + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String part(Map<String, Object> json) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Json.write(json).getBytes(StandardCharsets.UTF_8));
    }
}
