/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.http.HttpResponse;
import io.switchboard.routing.Router;
import io.switchboard.security.Authentication;
import io.switchboard.security.Authenticator;
import io.switchboard.session.Decision;
import io.switchboard.session.Handlers;
import io.switchboard.session.User;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.Recorder;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The authenticator hook on the upgrade request: who the user is, or a refusal before connect. */
class AuthenticatorTest {

    private final Recorder<String> calls = new Recorder<>("calls");

    /** Tokens in a header, a cookie or the query; "secret-X" is user X, anything else is refused. */
    private final Authenticator tokens = scope -> {
        calls.record("authenticate on " + (Thread.currentThread().isVirtual() ? "virtual" : "platform"));
        String token = scope.header("Authorization")
                .map(value -> value.replaceFirst("^Bearer ", ""))
                .or(() -> scope.cookie("token"))
                .or(() -> scope.queryParam("token"))
                .orElse(null);
        if (token == null) {
            return Authentication.anonymous();
        }
        if (token.equals("explode")) {
            throw new IllegalStateException("token store down");
        }
        if (!token.startsWith("secret-")) {
            return Authentication.reject(401, "bad token");
        }
        String name = token.substring("secret-".length());
        return Authentication.user(new User(name, Map.of("role", name.equals("root") ? "admin" : "user")));
    };

    private final Router router = Router.builder()
            .websocket(
                    "/ws/me",
                    Handlers.of(ws -> ws.onConnect(session -> {
                        calls.record("connect");
                        String who = session.user()
                                .map(user -> user.name() + " " + user.claims().get("role"))
                                .orElse("anonymous");
                        session.send(who);
                        return Decision.accept();
                    })))
            .http("/plain", request -> HttpResponse.text(200, "no authentication for plain HTTP"))
            .build();

    private TestServer serve() {
        return TestServer.start(b -> b.router(router).authenticator(tokens));
    }

    @Test
    void byDefaultEveryoneIsAnonymous() {
        try (TestServer server = TestServer.start(router)) {
            assertThat(server.connect("/ws/me?token=secret-ann").expectText()).isEqualTo("anonymous");
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("connect");
        }
    }

    @Test
    void theAuthenticatorNamesTheUserFromHeadersCookiesOrQuery() {
        try (TestServer server = serve()) {
            TestClient byHeader = server.connect("/ws/me", Map.of("Authorization", "Bearer secret-ann"), List.of());
            assertThat(byHeader.expectText()).isEqualTo("ann user");
            TestClient byCookie = server.connect("/ws/me", Map.of("Cookie", "token=secret-root"), List.of());
            assertThat(byCookie.expectText()).isEqualTo("root admin");
            assertThat(server.connect("/ws/me?token=secret-bob").expectText()).isEqualTo("bob user");
            assertThat(server.connect("/ws/me").expectText()).isEqualTo("anonymous");
            for (int i = 0; i < 4; i++) {
                assertThat(calls.next(Duration.ofSeconds(5))).as("it may block").isEqualTo("authenticate on virtual");
                assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("connect");
            }
        }
    }

    @Test
    void aRefusalIsTheClientsHttpStatusAndConnectNeverRuns() {
        try (TestServer server = serve()) {
            assertThat(server.refusedStatus("/ws/me?token=stolen")).isEqualTo(401);
            try (RawClient raw = server.raw()) {
                RawClient.HttpHead answer = raw.upgrade("/ws/me?token=stolen");
                assertThat(answer.status()).isEqualTo(401);
                assertThat(answer.body()).isEqualTo("bad token\n");
                raw.expectEof();
            }
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("authenticate on virtual");
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("authenticate on virtual");
            assertThat(server.connect("/ws/me?token=secret-ann").expectText()).isEqualTo("ann user");
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("authenticate on virtual");
            assertThat(calls.next(Duration.ofSeconds(5)))
                    .as("only the accepted one")
                    .isEqualTo("connect");
        }
    }

    @Test
    void anAuthenticatorThatThrowsIsRefusedWith500() {
        try (LogCapture log = LogCapture.start();
                TestServer server = serve()) {
            assertThat(server.refusedStatus("/ws/me?token=explode")).isEqualTo(500);
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("authenticate on virtual");
            assertThat(log.linesWith("IllegalStateException: token store down")).hasSize(1);
            assertThat(server.connect("/ws/me").expectText()).isEqualTo("anonymous");
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("authenticate on virtual");
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("connect");
        }
    }

    @Test
    void plainHttpRoutesDoNotAskTheAuthenticator() {
        try (TestServer server = serve()) {
            assertThat(server.get("/plain?token=stolen").statusCode()).isEqualTo(200);
            calls.assertEmpty();
        }
    }
}
