/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSObject;
import io.switchboard.json.Json;
import io.switchboard.json.JsonException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks signed JSON Web Tokens (RFC 7519, compact JWS) with nimbus-jose-jwt: HMAC secrets
 * (HS256/384/512), RSA (RS256/384/512), EC (ES256/384/512) and Ed25519 (EdDSA) public keys, fixed or
 * from a JWKS URL. Built with {@link #builder()}.
 *
 * <p>In order: a token longer than {@link #MAX_LENGTH} is refused unread; the header must name an
 * algorithm one of the keys is for ({@code none} never is, and a key's algorithms follow from the
 * key, not from the token) and carry no {@code crit} parameter (no JWS extension is understood, RFC
 * 7515 section 4.1.11); the signature must be spelled canonically and verify; then {@code exp} (
 * required unless turned off), {@code nbf}, {@code iss} and {@code aud} are checked against an
 * injected clock with a leeway. Only a well-signed token past its {@code exp} is {@link
 * Problem#EXPIRED}; a key set that cannot be fetched is {@link Problem#UNAVAILABLE}; everything else
 * is {@link Problem#INVALID}. Messages are one line and never echo the token.
 *
 * <p>The claims come back as JSON values in Java: String, Number (Integer, Long, Double, BigInteger),
 * Boolean, List, Map (for {@code info} objects and {@code channels} arrays), and null.
 *
 * <p>Thread-safe; verifying blocks only while a JWK set is fetched (bounded by its timeout).
 */
public final class JwtVerifier implements TokenVerifier {

    /** Longest token accepted: a header is no place for megabytes. */
    public static final int MAX_LENGTH = 8192;

    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final JwtVerifierBuilder.Config config;

    JwtVerifier(JwtVerifierBuilder.Config config) {
        this.config = config;
    }

    /** A builder: give one key source (secret, public keys, or a JWKS URL), then what to check. */
    public static JwtVerifierBuilder builder() {
        return new JwtVerifierBuilder();
    }

    /** This verifier, except that tokens without {@code exp} are accepted when {@code required} is false. */
    public JwtVerifier requireExpiry(boolean required) {
        return new JwtVerifier(config.withExpiryRequired(required));
    }

    @Override
    public Map<String, Object> verify(String token) throws Rejected {
        if (token == null || token.isEmpty()) {
            throw invalid("missing token");
        }
        if (token.length() > MAX_LENGTH) {
            throw invalid("token too long");
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second <= first + 1 || second == token.length() - 1 || token.indexOf('.', second + 1) >= 0) {
            throw invalid("malformed token");
        }
        JsonNode header = object(token.substring(0, first), "header");
        String algorithm = algorithm(header);
        String encodedSignature = token.substring(second + 1);
        if (!ENCODER.encodeToString(decode(encodedSignature, "signature")).equals(encodedSignature)) {
            throw invalid("malformed token signature"); // padding or stray bits: one token, one spelling
        }
        JsonNode claims = object(token.substring(first + 1, second), "payload");
        checkSignature(token, algorithm, text(header, "kid"));
        config.claims().check(claims);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = Json.mapper().convertValue(claims, LinkedHashMap.class);
        return map;
    }

    /** The header's algorithm, once it is one of the keys' and the header asks for no extension. */
    private String algorithm(JsonNode header) throws Rejected {
        String algorithm = text(header, "alg");
        if (algorithm == null || !config.algorithms().contains(algorithm)) {
            throw invalid("unsupported token algorithm");
        }
        if (header.has("crit")) {
            throw invalid("unsupported critical token header parameters");
        }
        return algorithm;
    }

    private static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    /** Verifies the signature with the keys that fit the header; fails unless one of them signed it. */
    private void checkSignature(String token, String algorithm, String kid) throws Rejected {
        List<VerificationKey> keys = config.keys().keys(kid).stream()
                .filter(key -> key.fits(algorithm, kid))
                .toList();
        if (keys.isEmpty()) {
            throw invalid(kid == null ? "no key for the token's algorithm" : "unknown token key id");
        }
        JWSObject jws;
        try {
            jws = JWSObject.parse(token);
        } catch (ParseException e) {
            throw invalid("malformed token header");
        }
        for (VerificationKey key : keys) {
            try {
                if (key.verifier().verify(jws.getHeader(), jws.getSigningInput(), jws.getSignature())) {
                    return;
                }
            } catch (JOSEException | RuntimeException e) {
                // a signature this key cannot even read is not its signature
            }
        }
        throw invalid("bad token signature");
    }

    static Rejected invalid(String reason) {
        return new Rejected(Problem.INVALID, reason);
    }

    private static byte[] decode(String part, String what) throws Rejected {
        try {
            return DECODER.decode(part);
        } catch (IllegalArgumentException e) {
            throw invalid("malformed token " + what);
        }
    }

    private static JsonNode object(String part, String what) throws Rejected {
        JsonNode node;
        try {
            node = Json.read(new String(decode(part, what), StandardCharsets.UTF_8), JsonNode.class);
        } catch (JsonException e) {
            throw invalid("malformed token " + what);
        }
        if (node == null || !node.isObject()) {
            throw invalid("malformed token " + what);
        }
        return node;
    }

    /** Where the keys come from: fixed ones, or a JWK set. */
    @FunctionalInterface
    interface KeySource {
        /** The keys that may have signed a token with key id {@code kid}, or {@code null}. */
        List<VerificationKey> keys(String kid) throws Rejected;
    }
}
