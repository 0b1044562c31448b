/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Signs JSON Web Tokens: for tests, for {@code switchboard token}, and for Java code that issues its
 * own users' tokens. HS256 (or HS384/HS512) from a secret, RS256 from an RSA key, ES256/384/512 from
 * an EC key (by its curve), EdDSA from an Ed25519 key. Thread-safe.
 */
public final class TokenIssuer {

    private final JWSAlgorithm algorithm;
    private final JWSSigner signer;
    private final String keyId;

    private TokenIssuer(JWSAlgorithm algorithm, JWSSigner signer, String keyId) {
        this.algorithm = algorithm;
        this.signer = signer;
        this.keyId = keyId;
    }

    /** HS256 tokens signed with {@code secret} (at least 32 bytes). */
    public static TokenIssuer hmac(byte[] secret) {
        return hmac("HS256", secret);
    }

    /** Tokens signed with {@code secret} by {@code algorithm}: HS256 (32 bytes or more), HS384 (48), HS512 (64). */
    public static TokenIssuer hmac(String algorithm, byte[] secret) {
        JWSAlgorithm named = JWSAlgorithm.parse(algorithm);
        if (!JWSAlgorithm.Family.HMAC_SHA.contains(named)) {
            throw new IllegalArgumentException("not an HMAC algorithm: " + algorithm);
        }
        try {
            return new TokenIssuer(named, new MACSigner(secret.clone()), null);
        } catch (JOSEException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** Tokens signed with {@code key}: RS256 for RSA, ES256/384/512 for EC P-256/384/521, EdDSA for Ed25519. */
    public static TokenIssuer signing(PrivateKey key) {
        Objects.requireNonNull(key, "key");
        if (key instanceof RSAPrivateKey rsa) {
            return new TokenIssuer(JWSAlgorithm.RS256, new RSASSASigner(rsa), null);
        }
        if (key instanceof ECPrivateKey ec) {
            Curve curve = Curve.forECParameterSpec(ec.getParams());
            JWSAlgorithm algorithm = Curve.P_256.equals(curve)
                    ? JWSAlgorithm.ES256
                    : Curve.P_384.equals(curve) ? JWSAlgorithm.ES384 : JWSAlgorithm.ES512;
            try {
                return new TokenIssuer(algorithm, new ECDSASigner(ec), null);
            } catch (JOSEException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }
        if (JdkEdDsa.isEd25519(key)) {
            return new TokenIssuer(JWSAlgorithm.EdDSA, new JdkEdDsa.Signer(key), null);
        }
        throw new IllegalArgumentException("unsupported private key type " + key.getAlgorithm());
    }

    /** This issuer, naming {@code keyId} in every token's {@code kid} header (for JWK sets). */
    public TokenIssuer withKeyId(String keyId) {
        return new TokenIssuer(algorithm, signer, keyId);
    }

    /** The JWS algorithm of the tokens, {@code HS256}. */
    public String algorithm() {
        return algorithm.getName();
    }

    /** A token with exactly {@code claims} (JSON values: String, Number, Boolean, List, Map). */
    public String issue(Map<String, Object> claims) {
        JWSHeader header = new JWSHeader.Builder(algorithm)
                .type(JOSEObjectType.JWT)
                .keyID(keyId)
                .build();
        JWSObject jws = new JWSObject(header, new Payload(claims));
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
        }
        return jws.serialize();
    }

    /**
     * A connection token for {@code subject}: {@code sub}, {@code iat} (now) and {@code exp} ({@code
     * ttl} from now), and any {@code extra} claims.
     */
    public String issue(String subject, Instant now, Duration ttl, Map<String, Object> extra) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", Objects.requireNonNull(subject, "subject"));
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(ttl).getEpochSecond());
        claims.putAll(extra);
        return issue(claims);
    }
}
