/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One key a token may be signed with, and the algorithms it is good for. The algorithms follow from
 * the key, never from the token: an RSA key checks RS256/384/512 and nothing else, so a token that
 * names HS256 and is "signed" with the RSA key's public bytes finds no key (the algorithm confusion
 * attack).
 *
 * @param keyId the key's {@code kid}, or {@code null} when it has none (fits every token)
 * @param algorithms the JWS algorithm names this key checks
 * @param verifier checks a signature with the key
 */
record VerificationKey(String keyId, Set<String> algorithms, JWSVerifier verifier) {

    private static final Set<String> RSA = Set.of("RS256", "RS384", "RS512");
    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 key bytes follow (RFC 8410). */
    private static final byte[] ED25519_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    VerificationKey {
        Objects.requireNonNull(algorithms, "algorithms");
        Objects.requireNonNull(verifier, "verifier");
        algorithms = Set.copyOf(algorithms);
    }

    /** Whether this key may check a token whose header names {@code algorithm} and {@code kid}. */
    boolean fits(String algorithm, String kid) {
        return algorithms.contains(algorithm) && (keyId == null || kid == null || keyId.equals(kid));
    }

    /**
     * An HMAC secret: HS256 from 32 bytes, HS384 too from 48, HS512 too from 64 (RFC 7518 asks for a
     * key at least as long as the hash).
     */
    static VerificationKey hmac(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("an HMAC secret needs at least 32 bytes, not " + secret.length);
        }
        Set<String> algorithms = new LinkedHashSet<>(Set.of("HS256"));
        if (secret.length >= 48) {
            algorithms.add("HS384");
        }
        if (secret.length >= 64) {
            algorithms.add("HS512");
        }
        try {
            return new VerificationKey(null, algorithms, new MACVerifier(secret.clone()));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("not an HMAC secret: " + e.getMessage());
        }
    }

    /** A public key: RSA (RS256/384/512), EC P-256/384/521 (ES256/384/512) or Ed25519 (EdDSA). */
    static VerificationKey of(PublicKey key, String keyId) {
        try {
            if (key instanceof RSAPublicKey rsa) {
                return new VerificationKey(keyId, RSA, new RSASSAVerifier(rsa));
            }
            if (key instanceof ECPublicKey ec) {
                String algorithm = ecAlgorithm(Curve.forECParameterSpec(ec.getParams()));
                return new VerificationKey(keyId, Set.of(algorithm), new ECDSAVerifier(ec));
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable public key: " + e.getMessage());
        }
        if (JdkEdDsa.isEd25519(key)) {
            Set<String> names = new LinkedHashSet<>();
            JdkEdDsa.ALGORITHMS.forEach(algorithm -> names.add(algorithm.getName()));
            return new VerificationKey(keyId, names, new JdkEdDsa.Verifier(key));
        }
        throw new IllegalArgumentException(
                "unsupported public key type " + key.getAlgorithm() + ": expected RSA, EC or Ed25519");
    }

    /**
     * A key of a JWK set, or empty when it is not one for checking signatures (an encryption key, a
     * symmetric key: a URL is no place for a shared secret, a curve not supported).
     */
    static Optional<VerificationKey> of(JWK jwk) {
        if (KeyUse.ENCRYPTION.equals(jwk.getKeyUse())) {
            return Optional.empty();
        }
        try {
            PublicKey key;
            if (jwk instanceof RSAKey rsa) {
                key = rsa.toRSAPublicKey();
            } else if (jwk instanceof ECKey ec) {
                key = ec.toECPublicKey();
            } else if (jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
                key = ed25519(okp.getX().decode());
            } else {
                return Optional.empty();
            }
            VerificationKey verification = of(key, jwk.getKeyID());
            JWSAlgorithm named = jwk.getAlgorithm() == null
                    ? null
                    : JWSAlgorithm.parse(jwk.getAlgorithm().getName());
            if (named != null) {
                // a key that names its algorithm is good for that one alone (RFC 7517, section 4.4)
                return verification.algorithms().contains(named.getName())
                        ? Optional.of(
                                new VerificationKey(jwk.getKeyID(), Set.of(named.getName()), verification.verifier()))
                        : Optional.empty();
            }
            return Optional.of(verification);
        } catch (JOSEException | IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    private static String ecAlgorithm(Curve curve) {
        if (Curve.P_256.equals(curve)) {
            return "ES256";
        }
        if (Curve.P_384.equals(curve)) {
            return "ES384";
        }
        if (Curve.P_521.equals(curve)) {
            return "ES512";
        }
        throw new IllegalArgumentException("unsupported EC curve " + curve + ": expected P-256, P-384 or P-521");
    }

    private static PublicKey ed25519(byte[] raw) throws GeneralSecurityException {
        if (raw.length != 32) {
            throw new IllegalArgumentException("an Ed25519 key has 32 bytes");
        }
        byte[] der = new byte[ED25519_PREFIX.length + raw.length];
        System.arraycopy(ED25519_PREFIX, 0, der, 0, ED25519_PREFIX.length);
        System.arraycopy(raw, 0, der, ED25519_PREFIX.length, raw.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    }
}
