/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class JwtVerifierTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private final JwtVerifier jwt = JwtVerifier.builder()
            .hmacSecret(SECRET)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .leeway(Duration.ofSeconds(30))
            .build();
    private final TokenIssuer issuer = TokenIssuer.hmac(SECRET);

    @Test
    void aSignedTokenVerifiesAndKeepsItsClaims() throws Exception {
        String token = issuer.issue(Map.of("sub", "ann", "exp", NOW.getEpochSecond() + 60, "role", "admin"));
        Map<String, Object> claims = jwt.verify(token);
        assertThat(claims).containsEntry("sub", "ann").containsEntry("role", "admin");
    }

    @Test
    void expiryAndNotBeforeHonourTheLeeway() throws Exception {
        jwt.verify(issuer.issue(Map.of("sub", "ann", "exp", NOW.getEpochSecond() - 29))); // within the leeway
        assertThatThrownBy(() -> jwt.verify(issuer.issue(Map.of("sub", "ann", "exp", NOW.getEpochSecond() - 30))))
                .hasMessage("token expired");
        assertThatThrownBy(() -> jwt.verify(issuer.issue(Map.of("sub", "ann", "exp", "soon"))))
                .hasMessage("malformed token expiry (exp)")
                .satisfies(e -> assertThat(problem(e)).isEqualTo(TokenVerifier.Problem.INVALID));
        long exp = NOW.getEpochSecond() + 600;
        jwt.verify(issuer.issue(Map.of("sub", "ann", "exp", exp, "nbf", NOW.getEpochSecond() + 30)));
        assertThatThrownBy(() ->
                        jwt.verify(issuer.issue(Map.of("sub", "ann", "exp", exp, "nbf", NOW.getEpochSecond() + 31))))
                .hasMessage("token not valid yet");
    }

    @Test
    void aTokenWithoutExpiryIsRefusedUnlessExpiryIsOptional() throws Exception {
        String forever = issuer.issue(Map.of("sub", "ann"));
        assertThatThrownBy(() -> jwt.verify(forever)).hasMessage("token without expiry (exp)");
        assertThat(jwt.requireExpiry(false).verify(forever)).containsEntry("sub", "ann");
        assertThatThrownBy(() -> jwt.requireExpiry(false)
                        .verify(issuer.issue(Map.of("sub", "ann", "exp", NOW.getEpochSecond() - 30))))
                .hasMessage("token expired");
    }

    @Test
    void aCriticalHeaderParameterIsRefusedWhateverItNames() throws Exception {
        String payload = "{\"sub\":\"ann\",\"exp\":" + (NOW.getEpochSecond() + 60) + "}";
        jwt.verify(signed("{\"alg\":\"HS256\"}", payload)); // the same without crit verifies
        for (String crit : new String[] {"[\"b64\"]", "[\"exp\"]", "[]", "\"x\""}) {
            String header = "{\"alg\":\"HS256\",\"crit\":" + crit + ",\"b64\":true,\"exp\":1}";
            assertThatThrownBy(() -> jwt.verify(signed(header, payload)))
                    .as(crit)
                    .hasMessage("unsupported critical token header parameters");
        }
    }

    @Test
    void aNegativeLeewayIsRefusedAtConstruction() {
        assertThatThrownBy(() -> JwtVerifier.builder()
                        .hmacSecret(SECRET)
                        .leeway(Duration.ofSeconds(-1))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leeway");
    }

    @Test
    void anotherSecretIsABadSignature() {
        TokenIssuer other = TokenIssuer.hmac("x".repeat(32).getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> jwt.verify(other.issue(Map.of("sub", "ann")))).hasMessage("bad token signature");
    }

    @Test
    void onlyTheAlgorithmsOfTheKeyAreAccepted() {
        String payload = b64("{\"sub\":\"ann\"}");
        assertThatThrownBy(() -> jwt.verify(b64("{\"alg\":\"none\"}") + "." + payload + ".x"))
                .hasMessage("unsupported token algorithm");
        assertThatThrownBy(() -> jwt.verify(b64("{\"alg\":\"HS512\"}") + "." + payload + ".x"))
                .hasMessage("unsupported token algorithm");
        assertThatThrownBy(() -> jwt.verify(b64("{\"typ\":\"JWT\"}") + "." + payload + ".x"))
                .hasMessage("unsupported token algorithm");
    }

    @Test
    void malformedTokensAreRefusedWithoutEchoingThem() {
        for (String token : new String[] {
            "", "abc", "a.b", "a.b.c.d", ".b.c", "a..c", "a.b.", "!!!.b.c", b64("[1]") + ".b.c", b64("nope") + ".b.c"
        }) {
            assertThatThrownBy(() -> jwt.verify(token))
                    .as(token)
                    .isInstanceOf(TokenVerifier.Rejected.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token.isEmpty() ? "\u0000" : token));
        }
        assertThatThrownBy(() -> jwt.verify("a".repeat(JwtVerifier.MAX_LENGTH + 1)))
                .hasMessage("token too long");
    }

    @Test
    void shortSecretsAreRefusedAtConstruction() {
        assertThatThrownBy(() -> JwtVerifier.builder().hmacSecret(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
    }

    @Test
    void onlyAWellSignedTokenPastItsExpiryIsExpiredEverythingElseIsInvalid() {
        String expired = issuer.issue(Map.of("sub", "ann", "exp", NOW.getEpochSecond() - 60));
        assertThatThrownBy(() -> jwt.verify(expired))
                .satisfies(e -> assertThat(problem(e)).isEqualTo(TokenVerifier.Problem.EXPIRED));
        String forgedAndExpired = TokenIssuer.hmac("y".repeat(32).getBytes(StandardCharsets.US_ASCII))
                .issue(Map.of("sub", "ann", "exp", NOW.getEpochSecond() - 60));
        assertThatThrownBy(() -> jwt.verify(forgedAndExpired))
                .hasMessage("bad token signature")
                .satisfies(e -> assertThat(problem(e)).isEqualTo(TokenVerifier.Problem.INVALID));
        assertThatThrownBy(() -> jwt.verify("a.b.c"))
                .satisfies(e -> assertThat(problem(e)).isEqualTo(TokenVerifier.Problem.INVALID));
    }

    @Test
    void issuerAndAudienceAreCheckedWhenConfigured() throws Exception {
        JwtVerifier strict = JwtVerifier.builder()
                .hmacSecret(SECRET)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .issuer("https://auth.example")
                .audience("switchboard")
                .build();
        long exp = NOW.getEpochSecond() + 60;
        strict.verify(issuer.issue(Map.of("exp", exp, "iss", "https://auth.example", "aud", "switchboard")));
        strict.verify(issuer.issue(
                Map.of("exp", exp, "iss", "https://auth.example", "aud", List.of("other", "switchboard"))));
        assertThatThrownBy(() -> strict.verify(issuer.issue(Map.of("exp", exp, "aud", "switchboard"))))
                .hasMessage("token from another issuer (iss)");
        assertThatThrownBy(() -> strict.verify(
                        issuer.issue(Map.of("exp", exp, "iss", "https://evil.example", "aud", "switchboard"))))
                .hasMessage("token from another issuer (iss)");
        assertThatThrownBy(() -> strict.verify(issuer.issue(Map.of("exp", exp, "iss", "https://auth.example"))))
                .hasMessage("token for another audience (aud)");
        assertThatThrownBy(() -> strict.verify(
                        issuer.issue(Map.of("exp", exp, "iss", "https://auth.example", "aud", List.of("other")))))
                .hasMessage("token for another audience (aud)")
                .satisfies(e -> assertThat(problem(e)).isEqualTo(TokenVerifier.Problem.INVALID));
        // without the checks configured, any issuer and audience will do
        jwt.verify(issuer.issue(Map.of("exp", exp, "iss", "https://evil.example", "aud", "other")));
    }

    /** Centrifugo's connection tokens carry an info object and a channels array: plain Java values come back. */
    @Test
    void claimsComeBackAsPlainJsonValues() throws Exception {
        Map<String, Object> claims = jwt.verify(issuer.issue(Map.of(
                "sub",
                "ann",
                "exp",
                NOW.getEpochSecond() + 60,
                "info",
                Map.of("name", "Ann", "admin", true, "score", 1.5, "tags", List.of("a", "b")),
                "channels",
                List.of("news", "ticker:AAPL"))));
        assertThat(claims.get("exp")).isInstanceOf(Number.class);
        assertThat(((Number) claims.get("exp")).longValue()).isEqualTo(NOW.getEpochSecond() + 60);
        assertThat(claims.get("channels")).isEqualTo(List.of("news", "ticker:AAPL"));
        assertThat(claims.get("info")).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) claims.get("info");
        assertThat(info)
                .containsEntry("name", "Ann")
                .containsEntry("admin", true)
                .containsEntry("score", 1.5)
                .containsEntry("tags", List.of("a", "b"));
    }

    @Test
    void aLongerSecretAlsoAcceptsTheLongerHashes() throws Exception {
        byte[] secret = "0123456789abcdef".repeat(4).getBytes(StandardCharsets.US_ASCII);
        JwtVerifier verifier = JwtVerifier.builder()
                .hmacSecret(secret)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build();
        for (String algorithm : List.of("HS256", "HS384", "HS512")) {
            String token = TokenIssuer.hmac(algorithm, secret)
                    .issue(Map.of("sub", algorithm, "exp", NOW.getEpochSecond() + 60));
            assertThat(verifier.verify(token)).containsEntry("sub", algorithm);
        }
        String hs512 = TokenIssuer.hmac("HS512", secret).issue(Map.of("exp", NOW.getEpochSecond() + 60));
        assertThatThrownBy(() -> jwt.verify(hs512)).hasMessage("unsupported token algorithm"); // 32 bytes: HS256 only
    }

    /** Thousands of generated near-tokens: nothing but a Rejected ever comes out, and nothing verifies. */
    @Test
    void generatedGarbageNeverEscapesAsAnotherException() {
        Random random = new Random(7);
        String valid = issuer.issue(Map.of("sub", "ann", "exp", NOW.getEpochSecond() + 60));
        String alphabet = "ABCxyz019-_.=+/ {}\":,\u00e9\u0000";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder token = new StringBuilder(random.nextBoolean() ? valid : "");
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = token.isEmpty() ? 0 : random.nextInt(token.length() + 1);
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                if (random.nextBoolean() && at < token.length()) {
                    token.setCharAt(at, c);
                } else {
                    token.insert(at, c);
                }
            }
            String candidate = token.toString();
            if (candidate.equals(valid)) {
                continue;
            }
            try {
                jwt.verify(candidate);
                assertThat(candidate).as("a changed token verified").isEqualTo(valid);
            } catch (TokenVerifier.Rejected expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    private static TokenVerifier.Problem problem(Throwable e) {
        return ((TokenVerifier.Rejected) e).problem();
    }

    /** A token with exactly this header and payload, signed with {@link #SECRET}. */
    private static String signed(String header, String payload) throws Exception {
        String input = b64(header) + "." + b64(payload);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        byte[] signature = mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
