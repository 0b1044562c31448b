/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.admin;

import io.switchboard.http.HttpRequest;
import io.switchboard.http.HttpResponse;
import io.switchboard.security.FailedAttempts;
import io.switchboard.session.Scope;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use the admin API. A browser logs in with the password ({@code POST /admin/api/login}, a
 * form field {@code password}) and gets a session cookie ({@code HttpOnly}, {@code SameSite=Strict},
 * {@code Secure} under TLS); a script sends {@code Authorization: Bearer PASSWORD} with each request.
 * A request that changes something with the cookie must also carry the session's CSRF token in
 * {@value #CSRF_HEADER} and, when it has an {@code Origin}, come from this server's own origin. A
 * wrong password is 401 and one log line; an address that keeps failing is refused for a while
 * (429, see {@link FailedAttempts}).
 */
final class AdminGate {

    /** The session cookie. */
    static final String COOKIE = "switchboard_admin";

    /** The header that carries the CSRF token. */
    static final String CSRF_HEADER = "X-CSRF-Token";

    private static final Logger LOG = LoggerFactory.getLogger(AdminGate.class);

    private final AdminAuth auth;
    private final FailedAttempts throttle;

    AdminGate(AdminAuth auth, FailedAttempts throttle) {
        this.auth = auth;
        this.throttle = throttle;
    }

    /** Checks the password in the form body; on success a new session in a cookie and its CSRF token. */
    HttpResponse login(HttpRequest request) {
        if (!request.method().equals("POST")) {
            return methodNotAllowed("POST");
        }
        if (!sameOrigin(request.scope())) {
            return forbidden("a login from another origin");
        }
        return checkPassword(request.scope(), formField(request.bodyText(), "password"), () -> {
            String session = auth.newSession();
            return HttpResponse.json(200, Map.of("csrf", auth.csrfOf(session)))
                    .withHeader("Set-Cookie", cookie(request.scope(), session, AdminAuth.SESSION));
        });
    }

    /**
     * Ends the browser's session: the cookie is cleared (a copy of it stays valid until it expires).
     * Only from this server's origin, so that another site cannot log the admin out.
     */
    HttpResponse logout(HttpRequest request) {
        if (!request.method().equals("POST")) {
            return methodNotAllowed("POST");
        }
        if (!sameOrigin(request.scope())) {
            return forbidden("a logout from another origin");
        }
        return HttpResponse.status(204).withHeader("Set-Cookie", cookie(request.scope(), "", Duration.ZERO));
    }

    /** The CSRF token of the browser's session, for a page loaded while logged in; 401 without one. */
    HttpResponse session(HttpRequest request) {
        String session = request.scope().cookie(COOKIE).orElse(null);
        if (!auth.sessionValid(session)) {
            return unauthorized();
        }
        return HttpResponse.json(200, Map.of("csrf", auth.csrfOf(session)));
    }

    /**
     * Null when {@code request} may proceed, else the answer: 401 without a valid session or bearer
     * password, 403 for a state change from another origin or without the CSRF token.
     */
    HttpResponse refusal(HttpRequest request) {
        Scope scope = request.scope();
        String bearer = bearer(scope);
        if (bearer != null) {
            return checkPassword(scope, bearer, () -> null);
        }
        String session = scope.cookie(COOKIE).orElse(null);
        if (!auth.sessionValid(session)) {
            return unauthorized();
        }
        if (request.isRead()) {
            return null;
        }
        if (!sameOrigin(scope)) {
            return forbidden("a change from another origin");
        }
        if (!auth.csrfMatches(session, scope.header(CSRF_HEADER).orElse(null))) {
            return forbidden("a change without the CSRF token");
        }
        return null;
    }

    private HttpResponse checkPassword(Scope scope, String password, Supplier<HttpResponse> ok) {
        String address = scope.remoteAddress().getAddress().getHostAddress();
        try (FailedAttempts.Attempt attempt =
                throttle.attempt(scope.remoteAddress().getAddress())) {
            Optional<Duration> wait = attempt.refused();
            if (wait.isPresent()) {
                long seconds = wait.get().toSeconds();
                return HttpResponse.text(429, "too many failed attempts: try again in " + seconds + " s")
                        .withHeader("Retry-After", String.valueOf(seconds));
            }
            if (!auth.passwordMatches(password)) {
                attempt.failed();
                LOG.warn("admin: wrong password from {}", address);
                return HttpResponse.text(401, "wrong password");
            }
        }
        HttpResponse answer = ok.get();
        if (answer != null) {
            LOG.info("admin: logged in from {}", address);
        }
        return answer;
    }

    /**
     * Whether the request's {@code Origin}, if it has one, names this server: its authority (host and
     * port) is the {@code Host} the browser used. Browsers send it with every cross-origin POST. Under
     * TLS the origin must be {@code https} too; on plain HTTP either scheme passes, because behind a
     * proxy that ends TLS the browser says {@code https} while this server sees {@code http}. The CSRF
     * token and {@code SameSite=Strict} guard the rest.
     */
    private static boolean sameOrigin(Scope scope) {
        String origin = scope.header("Origin").orElse(null);
        if (origin == null) {
            return true;
        }
        URI uri = uri(origin);
        String host = scope.header("Host").orElse(null);
        return uri != null
                && host != null
                && host.equalsIgnoreCase(uri.getRawAuthority())
                && (uri.getScheme().equalsIgnoreCase("https") || !secure(scope));
    }

    /** The {@code Origin} header as a URI with a scheme, or null ({@code null}, garbage). */
    private static URI uri(String origin) {
        try {
            URI uri = new URI(origin);
            return uri.getScheme() == null ? null : uri;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static boolean secure(Scope scope) {
        return scope.scheme().equals("https") || scope.scheme().equals("wss");
    }

    private static String bearer(Scope scope) {
        String header = scope.header("Authorization").orElse(null);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).strip();
    }

    private static String cookie(Scope scope, String value, Duration life) {
        return COOKIE + "=" + value + "; Path=" + AdminPage.PATH + "; Max-Age=" + life.toSeconds()
                + "; HttpOnly; SameSite=Strict" + (secure(scope) ? "; Secure" : "");
    }

    private static String formField(String body, String name) {
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            try {
                if (eq > 0
                        && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8)
                                .equals(name)) {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            } catch (IllegalArgumentException e) { // a bad %-escape: no such field
                return null;
            }
        }
        return null;
    }

    private static HttpResponse unauthorized() {
        return HttpResponse.text(401, "log in first").withHeader("WWW-Authenticate", "Bearer realm=\"admin\"");
    }

    private static HttpResponse forbidden(String what) {
        LOG.warn("admin: refused {}", what);
        return HttpResponse.text(403, "refused: " + what);
    }

    static HttpResponse methodNotAllowed(String allowed) {
        return HttpResponse.text(405, "use " + allowed).withHeader("Allow", allowed);
    }
}
