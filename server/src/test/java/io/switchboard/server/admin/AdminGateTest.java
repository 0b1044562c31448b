/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.http.HttpRequest;
import io.switchboard.http.HttpResponse;
import io.switchboard.security.FailedAttempts;
import io.switchboard.session.Scope;
import io.switchboard.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The gate on requests as the server hands them over: the cookie's attributes under TLS, and the origin rule. */
class AdminGateTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T03:00:00Z"), ZoneOffset.UTC);
    private final AdminGate gate = new AdminGate(
            new AdminAuth("pw", clock), new FailedAttempts("admin password", 5, Duration.ofMinutes(1), 100, clock));

    @Test
    void underTlsTheCookieIsSecure() {
        HttpResponse login = gate.login(post(Scope.builder("/admin/api/login").scheme("https"), "password=pw"));

        assertThat(login.status()).isEqualTo(200);
        assertThat(login.headers().get("Set-Cookie")).endsWith("; HttpOnly; SameSite=Strict; Secure");
    }

    @Test
    void underTlsAnOriginMustBeHttpsAndThePagesHost() {
        Scope.Builder https = Scope.builder("/admin/api/login").scheme("https").header("Host", "admin.example:8443");

        assertThat(gate.login(post(https.header("Origin", "https://admin.example:8443"), "password=pw"))
                        .status())
                .isEqualTo(200);
        Scope.Builder downgraded =
                Scope.builder("/admin/api/login").scheme("https").header("Host", "admin.example:8443");
        assertThat(gate.login(post(downgraded.header("Origin", "http://admin.example:8443"), "password=pw"))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void behindAProxyThatEndsTlsAnHttpsOriginMatchesByHostAlone() {
        assertThat(loginFrom("http", "admin.example", "https://admin.example")).isEqualTo(200);
        assertThat(loginFrom("http", "admin.example", "http://admin.example")).isEqualTo(200);
        assertThat(loginFrom("http", "admin.example", "https://ADMIN.example")).isEqualTo(200);
        assertThat(loginFrom("http", "admin.example", "https://evil.example")).isEqualTo(403);
        assertThat(loginFrom("http", "admin.example", "https://admin.example:8443"))
                .isEqualTo(403);
        assertThat(loginFrom("http", "admin.example", "https://admin.example.evil.example"))
                .isEqualTo(403);
        assertThat(loginFrom("http", "admin.example", "null")).isEqualTo(403);
        assertThat(loginFrom("http", "admin.example", "::garbage")).isEqualTo(403);
    }

    @Test
    void aLogoutFromAnotherOriginIsRefused() {
        Scope.Builder elsewhere = Scope.builder("/admin/api/logout")
                .scheme("http")
                .header("Host", "admin.example")
                .header("Origin", "https://evil.example");
        HttpResponse refused = gate.logout(post(elsewhere, ""));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.headers()).doesNotContainKey("Set-Cookie");

        Scope.Builder own = Scope.builder("/admin/api/logout")
                .scheme("http")
                .header("Host", "admin.example")
                .header("Origin", "https://admin.example");
        assertThat(gate.logout(post(own, "")).status()).isEqualTo(204);
    }

    private int loginFrom(String scheme, String host, String origin) {
        Scope.Builder scope = Scope.builder("/admin/api/login")
                .scheme(scheme)
                .header("Host", host)
                .header("Origin", origin);
        return gate.login(post(scope, "password=pw")).status();
    }

    @Test
    void aBadFormIsAWrongPassword() {
        assertThat(gate.login(post(Scope.builder("/admin/api/login").scheme("http"), "password=%zz"))
                        .status())
                .isEqualTo(401);
        assertThat(gate.login(post(Scope.builder("/admin/api/login").scheme("http"), ""))
                        .status())
                .isEqualTo(401);
    }

    private static HttpRequest post(Scope.Builder scope, String body) {
        return new HttpRequest("POST", scope.build(), body.getBytes(StandardCharsets.UTF_8));
    }
}
