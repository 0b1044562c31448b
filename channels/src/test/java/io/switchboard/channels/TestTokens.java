/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.json.Json;
import io.switchboard.security.TokenVerifier;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HS256 tokens for tests, made and checked here so that the tests do not depend on which verifier
 * the server ships: {@link #issue} signs claims, {@link #verifier} checks the signature and {@code
 * exp} (expired: {@code EXPIRED}; anything else wrong: {@code INVALID}).
 */
final class TestTokens {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final String HEADER =
            ENCODER.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    private final byte[] secret;
    private final Clock clock;

    TestTokens(String secret, Clock clock) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    String issue(Map<String, Object> claims) {
        String body = HEADER + "." + ENCODER.encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8));
        return body + "." + ENCODER.encodeToString(sign(body));
    }

    TokenVerifier verifier() {
        return token -> {
            String[] parts = token == null ? new String[0] : token.split("\\.", -1);
            if (parts.length != 3) {
                throw new TokenVerifier.Rejected(TokenVerifier.Problem.INVALID, "malformed token");
            }
            byte[] expected = sign(parts[0] + "." + parts[1]);
            byte[] given;
            JsonNode claims;
            try {
                given = DECODER.decode(parts[2]);
                claims = Json.mapper().readTree(DECODER.decode(parts[1]));
            } catch (Exception e) {
                throw new TokenVerifier.Rejected(TokenVerifier.Problem.INVALID, "malformed token");
            }
            if (!MessageDigest.isEqual(expected, given) || !claims.isObject()) {
                throw new TokenVerifier.Rejected(TokenVerifier.Problem.INVALID, "bad token signature");
            }
            if (claims.path("exp").asLong(0) <= clock.instant().getEpochSecond()) {
                throw new TokenVerifier.Rejected(TokenVerifier.Problem.EXPIRED, "token expired");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = Json.mapper().convertValue(claims, Map.class);
            return map;
        };
    }

    private byte[] sign(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
