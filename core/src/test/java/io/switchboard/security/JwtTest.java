package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class JwtTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private final Jwt jwt = new Jwt(SECRET, Clock.fixed(NOW, ZoneOffset.UTC), 30);

    @Test
    void aSignedTokenVerifiesAndKeepsItsClaims() throws Exception {
        String token = jwt.issue(Map.of("sub", "ann", "exp", NOW.getEpochSecond() + 60, "role", "admin"));
        Map<String, Object> claims = jwt.verify(token);
        assertThat(claims).containsEntry("sub", "ann").containsEntry("role", "admin");
    }

    @Test
    void expiryAndNotBeforeHonourTheLeeway() throws Exception {
        jwt.verify(jwt.issue(Map.of("sub", "ann", "exp", NOW.getEpochSecond() - 29))); // within the leeway
        assertThatThrownBy(() -> jwt.verify(jwt.issue(Map.of("sub", "ann", "exp", NOW.getEpochSecond() - 30))))
                .hasMessage("token expired");
        assertThatThrownBy(() -> jwt.verify(jwt.issue(Map.of("sub", "ann", "exp", "soon"))))
                .hasMessage("token expired");
        long exp = NOW.getEpochSecond() + 600;
        jwt.verify(jwt.issue(Map.of("sub", "ann", "exp", exp, "nbf", NOW.getEpochSecond() + 30)));
        assertThatThrownBy(
                        () -> jwt.verify(jwt.issue(Map.of("sub", "ann", "exp", exp, "nbf", NOW.getEpochSecond() + 31))))
                .hasMessage("token not valid yet");
    }

    @Test
    void aTokenWithoutExpiryIsRefusedUnlessExpiryIsOptional() throws Exception {
        String forever = jwt.issue(Map.of("sub", "ann"));
        assertThatThrownBy(() -> jwt.verify(forever)).hasMessage("token without expiry (exp)");
        assertThat(jwt.requireExpiry(false).verify(forever)).containsEntry("sub", "ann");
        assertThatThrownBy(() -> jwt.requireExpiry(false)
                        .verify(jwt.issue(Map.of("sub", "ann", "exp", NOW.getEpochSecond() - 30))))
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
        assertThatThrownBy(() -> new Jwt(SECRET, Clock.systemUTC(), -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leeway");
    }

    @Test
    void anotherSecretIsABadSignature() {
        Jwt other = new Jwt("x".repeat(32).getBytes(StandardCharsets.US_ASCII), Clock.systemUTC(), 0);
        assertThatThrownBy(() -> jwt.verify(other.issue(Map.of("sub", "ann")))).hasMessage("bad token signature");
    }

    @Test
    void onlyHs256IsAccepted() {
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
                    .isInstanceOf(Jwt.Rejected.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token.isEmpty() ? "\u0000" : token));
        }
        assertThatThrownBy(() -> jwt.verify("a".repeat(Jwt.MAX_LENGTH + 1))).hasMessage("token too long");
    }

    @Test
    void shortSecretsAreRefusedAtConstruction() {
        assertThatThrownBy(() -> new Jwt(new byte[31], Clock.systemUTC(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
    }

    /** Thousands of generated near-tokens: nothing but a Rejected ever comes out, and nothing verifies. */
    @Test
    void generatedGarbageNeverEscapesAsAnotherException() {
        Random random = new Random(7);
        String valid = jwt.issue(Map.of("sub", "ann", "exp", NOW.getEpochSecond() + 60));
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
            } catch (Jwt.Rejected expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
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
