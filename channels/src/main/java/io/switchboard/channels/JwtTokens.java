package io.switchboard.channels;

import io.switchboard.security.Jwt;
import io.switchboard.security.TokenVerifier;

/** Core's HS256 {@link Jwt} as a {@link TokenVerifier}, until a verifier of more algorithms replaces it. */
public final class JwtTokens {

    private JwtTokens() {}

    /** {@code jwt} as a verifier: a refusal whose message says "expired" is {@code EXPIRED}, any other {@code INVALID}. */
    public static TokenVerifier verifier(Jwt jwt) {
        return token -> {
            try {
                return jwt.verify(token);
            } catch (Jwt.Rejected e) {
                String reason = e.getMessage();
                boolean expired = reason != null && reason.contains("expired");
                throw new TokenVerifier.Rejected(
                        expired ? TokenVerifier.Problem.EXPIRED : TokenVerifier.Problem.INVALID, reason);
            }
        };
    }
}
