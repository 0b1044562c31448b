/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every supported public-key algorithm, and the ways a token signed for another key must fail. */
class JwtAlgorithmsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final Map<String, Object> CLAIMS = Map.of("sub", "ann", "exp", NOW.getEpochSecond() + 60);

    /** The key pairs of each kind, and the algorithm their tokens carry. */
    record Kind(String algorithm, KeyPair keys) {}

    static List<Kind> kinds() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
        return List.of(
                new Kind("RS256", rsa.generateKeyPair()),
                new Kind("ES256", ec.generateKeyPair()),
                new Kind("EdDSA", ed.generateKeyPair()));
    }

    private static JwtVerifier verifier(KeyPair keys) {
        return JwtVerifier.builder()
                .publicKey(keys.getPublic())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build();
    }

    @Test
    void eachAlgorithmVerifiesWithItsKeyAndFailsWithAnother() throws Exception {
        List<Kind> kinds = kinds();
        List<Kind> others = kinds(); // the same kinds, other keys
        for (int i = 0; i < kinds.size(); i++) {
            Kind kind = kinds.get(i);
            TokenIssuer issuer = TokenIssuer.signing(kind.keys().getPrivate());
            assertThat(issuer.algorithm()).isEqualTo(kind.algorithm());
            String token = issuer.issue(CLAIMS);
            assertThat(verifier(kind.keys()).verify(token)).as(kind.algorithm()).containsEntry("sub", "ann");
            assertThatThrownBy(() ->
                            verifier(others.get(kinds.indexOf(kind)).keys()).verify(token))
                    .as(kind.algorithm() + " with another key of its kind")
                    .hasMessage("bad token signature");
            Kind stranger = kinds.get((i + 1) % kinds.size());
            assertThatThrownBy(() -> verifier(stranger.keys()).verify(token))
                    .as(kind.algorithm() + " with a key of another kind")
                    .hasMessage("unsupported token algorithm");
        }
    }

    @Test
    void aForgedSignatureOrAChangedPayloadFails() throws Exception {
        for (Kind kind : kinds()) {
            String token = TokenIssuer.signing(kind.keys().getPrivate()).issue(CLAIMS);
            String[] parts = token.split("\\.");
            String admin = b64("{\"sub\":\"root\",\"exp\":" + (NOW.getEpochSecond() + 60) + "}");
            assertThatThrownBy(() -> verifier(kind.keys()).verify(parts[0] + "." + admin + "." + parts[2]))
                    .as(kind.algorithm())
                    .hasMessage("bad token signature");
            byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
            signature[signature.length / 2] ^= 1;
            String flipped = Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
            assertThatThrownBy(() -> verifier(kind.keys()).verify(parts[0] + "." + parts[1] + "." + flipped))
                    .as(kind.algorithm())
                    .hasMessage("bad token signature");
        }
    }

    @Test
    void algorithmNoneIsRefusedWhateverTheKey() throws Exception {
        String payload = b64("{\"sub\":\"ann\",\"exp\":" + (NOW.getEpochSecond() + 60) + "}");
        for (Kind kind : kinds()) {
            for (String none : List.of("none", "None", "NONE")) {
                String header = b64("{\"alg\":\"" + none + "\"}");
                for (String token : List.of(header + "." + payload + ".", header + "." + payload + ".AAAA")) {
                    assertThatThrownBy(() -> verifier(kind.keys()).verify(token))
                            .as(kind.algorithm() + " " + none)
                            .isInstanceOf(TokenVerifier.Rejected.class);
                }
            }
        }
    }

    /**
     * The classic confusion: the attacker signs an HS256 token with the server's RSA public key (which
     * is public) as the HMAC secret, hoping the server feeds its configured key to whatever the
     * header names.
     */
    @Test
    void anHmacTokenSignedWithThePublicKeyBytesIsRefused() throws Exception {
        for (Kind kind : kinds()) {
            byte[] publicBytes = kind.keys().getPublic().getEncoded();
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(publicBytes) + "\n-----END PUBLIC KEY-----\n";
            for (byte[] secret : List.of(publicBytes, pem.getBytes(StandardCharsets.US_ASCII))) {
                String input = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "."
                        + b64("{\"sub\":\"root\",\"exp\":" + (NOW.getEpochSecond() + 60) + "}");
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
                String token = input + "."
                        + Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
                assertThatThrownBy(() -> verifier(kind.keys()).verify(token))
                        .as(kind.algorithm())
                        .hasMessage("unsupported token algorithm");
            }
        }
    }

    @Test
    void aPublicKeyIsReadFromAPemFile(@TempDir Path dir) throws Exception {
        for (Kind kind : kinds()) {
            Path file = dir.resolve(kind.algorithm() + ".pem");
            Files.writeString(
                    file,
                    "-----BEGIN PUBLIC KEY-----\n"
                            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                    .encodeToString(kind.keys().getPublic().getEncoded())
                            + "\n-----END PUBLIC KEY-----\n");
            JwtVerifier verifier = JwtVerifier.builder()
                    .publicKeyPem(file)
                    .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                    .build();
            String token = TokenIssuer.signing(kind.keys().getPrivate()).issue(CLAIMS);
            assertThat(verifier.verify(token)).as(kind.algorithm()).containsEntry("sub", "ann");
        }
    }

    @Test
    void aMissingOrWrongPemFileFailsNamingIt(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> JwtVerifier.builder().publicKeyPem(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read the public key file " + missing + ": no such file");
        Path text = Files.writeString(dir.resolve("text.pem"), "hello\n");
        assertThatThrownBy(() -> JwtVerifier.builder().publicKeyPem(text))
                .hasMessage(text + " holds no PEM public key (-----BEGIN PUBLIC KEY-----)");
        Path garbage = Files.writeString(
                dir.resolve("garbage.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        assertThatThrownBy(() -> JwtVerifier.builder().publicKeyPem(garbage))
                .hasMessage(garbage + " holds no RSA, EC or Ed25519 public key");
    }

    @Test
    void aVerifierNeedsExactlyOneKindOfKeySource() throws Exception {
        assertThatThrownBy(() -> JwtVerifier.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a key");
        assertThatThrownBy(() -> JwtVerifier.builder()
                        .hmacSecret(new byte[32])
                        .jwksUrl(java.net.URI.create("http://127.0.0.1:1/jwks"))
                        .build())
                .hasMessage("a JWKS URL and fixed keys exclude each other");
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
