/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.security.TokenVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The bench server's check of the generator's HS256 connection tokens: the signature and that the
 * claims are JSON, nothing more (the tokens are the generator's own, on loopback). Kept here so that
 * the bench measures the protocol with whatever token library the server ships, not depending on it.
 */
final class BenchTokens {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchTokens() {}

    /** A verifier of HS256 tokens signed with {@code secret}. */
    static TokenVerifier hs256(byte[] secret) {
        return token -> {
            String[] parts = token.split("\\.");
            if (parts.length != 3) {
                throw new TokenVerifier.Rejected(TokenVerifier.Problem.INVALID, "not a JWT");
            }
            byte[] expected = sign(secret, parts[0] + "." + parts[1]);
            byte[] given = Base64.getUrlDecoder().decode(parts[2]);
            if (!MessageDigest.isEqual(expected, given)) {
                throw new TokenVerifier.Rejected(TokenVerifier.Problem.INVALID, "bad signature");
            }
            return claims(parts[1]);
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> claims(String encoded) throws TokenVerifier.Rejected {
        try {
            return JSON.readValue(Base64.getUrlDecoder().decode(encoded), Map.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new TokenVerifier.Rejected(TokenVerifier.Problem.INVALID, "claims are not JSON");
        }
    }

    private static byte[] sign(byte[] secret, String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
