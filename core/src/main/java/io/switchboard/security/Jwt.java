package io.switchboard.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.json.Json;
import io.switchboard.json.JsonException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies and issues HMAC-SHA256 JSON Web Tokens (RFC 7519, algorithm HS256 only). Verification
 * refuses every other algorithm ({@code none} included) and every header with a {@code crit}
 * parameter (this verifier understands no extension, RFC 7515 section 4.1.11), checks the signature
 * in constant time, then {@code exp} and {@code nbf} against an injected clock with a leeway for
 * clocks that disagree. A token without {@code exp} is refused unless {@link #requireExpiry(boolean)
 * requireExpiry(false)}: a token that never expires is a password that cannot be changed. Every
 * failure is a {@link Rejected} with a one-line reason that never echoes the token.
 */
public final class Jwt {

    /** Longest token accepted; a header is no place for megabytes. */
    public static final int MAX_LENGTH = 8192;

    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final byte[] secret;
    private final Clock clock;
    private final long leewaySeconds;
    private final boolean expiryRequired;

    /**
     * A verifier for tokens signed with {@code secret} (at least 32 bytes, as RFC 7518 asks), that
     * takes the time from {@code clock} and still accepts a token {@code leewaySeconds} after its
     * {@code exp} or before its {@code nbf}. Tokens must carry {@code exp}.
     */
    public Jwt(byte[] secret, Clock clock, long leewaySeconds) {
        this(secret, clock, leewaySeconds, true);
    }

    private Jwt(byte[] secret, Clock clock, long leewaySeconds, boolean expiryRequired) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < 32) {
            throw new IllegalArgumentException("an HS256 secret needs at least 32 bytes, not " + secret.length);
        }
        if (leewaySeconds < 0) {
            throw new IllegalArgumentException("the leeway must be 0 or more seconds, not " + leewaySeconds);
        }
        this.secret = secret.clone();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.leewaySeconds = leewaySeconds;
        this.expiryRequired = expiryRequired;
    }

    /**
     * This verifier, except that a token without {@code exp} is accepted (and then valid forever)
     * when {@code required} is false. For issuers that revoke tokens some other way.
     */
    public Jwt requireExpiry(boolean required) {
        return new Jwt(secret, clock, leewaySeconds, required);
    }

    /** A token that did not verify; the message says why in one line. */
    public static final class Rejected extends Exception {
        public Rejected(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The claims of {@code token} once it verifies; fails with {@link Rejected} otherwise. */
    public Map<String, Object> verify(String token) throws Rejected {
        if (token == null || token.isEmpty()) {
            throw new Rejected("missing token");
        }
        if (token.length() > MAX_LENGTH) {
            throw new Rejected("token too long");
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second <= first + 1 || second == token.length() - 1 || token.indexOf('.', second + 1) >= 0) {
            throw new Rejected("malformed token");
        }
        JsonNode header = object(token.substring(0, first), "header");
        if (!"HS256".equals(header.path("alg").asText(null))) {
            throw new Rejected("unsupported token algorithm");
        }
        if (header.has("crit")) {
            throw new Rejected("unsupported critical token header parameters");
        }
        String encodedSignature = token.substring(second + 1);
        byte[] signature = decode(encodedSignature, "signature");
        if (!ENCODER.encodeToString(signature).equals(encodedSignature)) {
            throw new Rejected("malformed token signature"); // padding or stray bits: one token, one spelling
        }
        byte[] expected = sign(token.substring(0, second));
        if (!MessageDigest.isEqual(signature, expected)) {
            throw new Rejected("bad token signature");
        }
        JsonNode claims = object(token.substring(first + 1, second), "payload");
        long now = clock.instant().getEpochSecond();
        if (expiryRequired && !claims.has("exp")) {
            throw new Rejected("token without expiry (exp)");
        }
        if (claims.has("exp")
                && (!claims.get("exp").isNumber()
                        || now - leewaySeconds >= claims.get("exp").asLong())) {
            throw new Rejected("token expired");
        }
        if (claims.has("nbf")
                && (!claims.get("nbf").isNumber()
                        || now + leewaySeconds < claims.get("nbf").asLong())) {
            throw new Rejected("token not valid yet");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = Json.mapper().convertValue(claims, LinkedHashMap.class);
        return map;
    }

    /** A token with {@code claims}, signed with this secret (for tests and trusted issuers). */
    public String issue(Map<String, Object> claims) {
        String header = ENCODER.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = ENCODER.encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8));
        String signed = header + "." + payload;
        return signed + "." + ENCODER.encodeToString(sign(signed));
    }

    private byte[] sign(String signingInput) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    private static byte[] decode(String part, String what) throws Rejected {
        try {
            return DECODER.decode(part);
        } catch (IllegalArgumentException e) {
            throw new Rejected("malformed token " + what);
        }
    }

    private static JsonNode object(String part, String what) throws Rejected {
        JsonNode node;
        try {
            node = Json.read(new String(decode(part, what), StandardCharsets.UTF_8), JsonNode.class);
        } catch (JsonException e) {
            throw new Rejected("malformed token " + what);
        }
        if (node == null || !node.isObject()) {
            throw new Rejected("malformed token " + what);
        }
        return node;
    }
}
