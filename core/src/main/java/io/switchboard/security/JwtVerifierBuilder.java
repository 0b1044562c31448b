/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import java.net.URI;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Configures a {@link JwtVerifier}. Keys come from one source: HMAC secrets and public keys (any
 * number, each tried when the token's algorithm fits it), or one JWKS URL. Defaults: the system
 * clock, no leeway, {@code exp} required, any issuer and audience; for a JWKS URL, 5 s to connect and
 * 5 s more for the answer, at most one fetch per 10 s, keys refetched after an hour. Every mistake
 * fails {@link #build()} (or the method given it) with a one-line {@link IllegalArgumentException}.
 */
public final class JwtVerifierBuilder {

    /** The algorithms a JWK set's keys may be for (a URL never supplies an HMAC secret). */
    private static final Set<String> PUBLIC_KEY_ALGORITHMS =
            Set.of("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519");

    private final List<VerificationKey> keys = new ArrayList<>();
    private URI jwksUrl;
    private Duration jwksTimeout = Duration.ofSeconds(5);
    private Duration jwksRefetchInterval = Duration.ofSeconds(10);
    private Duration jwksMaxAge = Duration.ofHours(1);
    private Clock clock = Clock.systemUTC();
    private Duration leeway = Duration.ZERO;
    private boolean expiryRequired = true;
    private String issuer;
    private String audience;

    JwtVerifierBuilder() {}

    /** What a built verifier holds. */
    record Config(JwtVerifier.KeySource keys, Set<String> algorithms, ClaimRules claims) {
        Config withExpiryRequired(boolean required) {
            return new Config(
                    keys,
                    algorithms,
                    new ClaimRules(
                            claims.clock(), claims.leewaySeconds(), required, claims.issuer(), claims.audience()));
        }
    }

    /** Accept tokens signed with this HMAC secret: HS256 from 32 bytes, HS384 from 48, HS512 from 64. */
    public JwtVerifierBuilder hmacSecret(byte[] secret) {
        keys.add(VerificationKey.hmac(Objects.requireNonNull(secret, "secret")));
        return this;
    }

    /** Accept tokens signed by the private half of {@code key}: RSA (RS256/384/512), EC (ES256/384/512), Ed25519 (EdDSA). */
    public JwtVerifierBuilder publicKey(PublicKey key) {
        keys.add(VerificationKey.of(Objects.requireNonNull(key, "key"), null));
        return this;
    }

    /** As {@link #publicKey(PublicKey)}, read from a PEM file ({@code BEGIN PUBLIC KEY}); fails naming the file. */
    public JwtVerifierBuilder publicKeyPem(Path file) {
        return publicKey(PublicKeys.pem(Objects.requireNonNull(file, "file")));
    }

    /** Accept tokens signed by a key of the JWK set at {@code url} (fetched when needed, cached). */
    public JwtVerifierBuilder jwksUrl(URI url) {
        this.jwksUrl = Objects.requireNonNull(url, "url");
        return this;
    }

    /** How long connecting to the JWKS URL, and then its answer, may each take (default 5 s). */
    public JwtVerifierBuilder jwksTimeout(Duration timeout) {
        this.jwksTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /** The least time between two fetches of the JWK set, whatever key ids tokens name (default 10 s). */
    public JwtVerifierBuilder jwksRefetchInterval(Duration interval) {
        this.jwksRefetchInterval = Objects.requireNonNull(interval, "interval");
        return this;
    }

    /** How long fetched keys are used before the set is fetched again (default 1 h). */
    public JwtVerifierBuilder jwksMaxAge(Duration maxAge) {
        this.jwksMaxAge = Objects.requireNonNull(maxAge, "maxAge");
        return this;
    }

    /** Where the time comes from (for {@code exp}, {@code nbf} and the JWKS refetch interval). */
    public JwtVerifierBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** How far past {@code exp} and before {@code nbf} a token is still accepted (default none). */
    public JwtVerifierBuilder leeway(Duration leeway) {
        this.leeway = Objects.requireNonNull(leeway, "leeway");
        return this;
    }

    /** Whether a token without {@code exp} is refused (default true: it would be valid forever). */
    public JwtVerifierBuilder requireExpiry(boolean required) {
        this.expiryRequired = required;
        return this;
    }

    /** Accept only tokens whose {@code iss} is {@code issuer}; {@code null} for any. */
    public JwtVerifierBuilder issuer(String issuer) {
        this.issuer = issuer;
        return this;
    }

    /** Accept only tokens whose {@code aud} names {@code audience}; {@code null} for any. */
    public JwtVerifierBuilder audience(String audience) {
        this.audience = audience;
        return this;
    }

    /** The verifier; fails unless exactly one kind of key source was given. */
    public JwtVerifier build() {
        if (keys.isEmpty() == (jwksUrl == null)) {
            throw new IllegalArgumentException(
                    jwksUrl == null
                            ? "a token verifier needs a key: a secret, a public key or a JWKS URL"
                            : "a JWKS URL and fixed keys exclude each other");
        }
        ClaimRules rules = new ClaimRules(clock, leeway.toSeconds(), expiryRequired, issuer, audience);
        if (jwksUrl != null) {
            JwksKeys jwks =
                    new JwksKeys(new JwksKeys.Settings(jwksUrl, jwksTimeout, jwksRefetchInterval, jwksMaxAge), clock);
            return new JwtVerifier(new Config(jwks::keys, PUBLIC_KEY_ALGORITHMS, rules));
        }
        List<VerificationKey> fixed = List.copyOf(keys);
        Set<String> algorithms = new LinkedHashSet<>();
        fixed.forEach(key -> algorithms.addAll(key.algorithms()));
        return new JwtVerifier(new Config(kid -> fixed, Set.copyOf(algorithms), rules));
    }
}
