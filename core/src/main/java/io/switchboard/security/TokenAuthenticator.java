package io.switchboard.security;

import io.switchboard.session.Scope;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Authenticates upgrades with an HS256 JSON Web Token, looked for in this order: an
 * {@code Authorization: Bearer TOKEN} header; an {@code access_token} query parameter; and, for
 * browsers (which cannot set headers on a WebSocket), an offered subprotocol {@code bearer.TOKEN}.
 * The user is the token's {@code sub} claim (or another claim named at construction) and the
 * session's claims are the token's. A missing, expired or bad token is refused with 401 before the
 * upgrade.
 */
public final class TokenAuthenticator implements Authenticator {

    /** The prefix of a subprotocol that carries a token. */
    public static final String SUBPROTOCOL_PREFIX = "bearer.";

    private final Jwt jwt;
    private final String userClaim;

    public TokenAuthenticator(Jwt jwt, String userClaim) {
        this.jwt = Objects.requireNonNull(jwt, "jwt");
        this.userClaim = Objects.requireNonNull(userClaim, "userClaim");
    }

    /** Users named by the {@code sub} claim. */
    public TokenAuthenticator(Jwt jwt) {
        this(jwt, "sub");
    }

    @Override
    public Authentication authenticate(Scope scope) {
        Optional<String> token = token(scope);
        if (token.isEmpty()) {
            return Authentication.reject(
                    401, "missing token: send Authorization: Bearer, access_token or a bearer.* subprotocol");
        }
        Map<String, Object> claims;
        try {
            claims = jwt.verify(token.get());
        } catch (Jwt.Rejected e) {
            return Authentication.reject(401, e.getMessage());
        }
        Object name = claims.get(userClaim);
        if (!(name instanceof String user) || user.isBlank()) {
            return Authentication.reject(401, "the token names no user ('" + userClaim + "' claim)");
        }
        return Authentication.user(new User(user, claims));
    }

    /** The token a request carries, from the first place that has one. */
    static Optional<String> token(Scope scope) {
        Optional<String> header = scope.header("Authorization")
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).trim());
        if (header.isPresent()) {
            return header;
        }
        Optional<String> query = scope.queryParam("access_token");
        if (query.isPresent()) {
            return query;
        }
        List<String> offered = scope.subprotocols();
        return offered.stream()
                .filter(protocol -> protocol.startsWith(SUBPROTOCOL_PREFIX))
                .map(protocol -> protocol.substring(SUBPROTOCOL_PREFIX.length()))
                .findFirst();
    }
}
