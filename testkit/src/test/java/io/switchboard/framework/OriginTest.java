/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.routing.Router;
import io.switchboard.routing.WebSocketOptions;
import io.switchboard.session.Decision;
import io.switchboard.session.Handlers;
import io.switchboard.session.Session;
import io.switchboard.settings.Limits;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The origin allow-list against cross-site WebSocket hijacking: 403 before the upgrade. */
class OriginTest {

    private final AtomicInteger connects = new AtomicInteger();

    private final Router router = Router.builder()
            .websocket("/ws/echo", Handlers.of(ws -> ws.onConnect(session -> {
                        connects.incrementAndGet();
                        return Decision.accept();
                    })
                    .onText(Session::send)))
            .websocket(
                    "/ws/partner",
                    Handlers.of(ws -> ws.onText(Session::send)),
                    WebSocketOptions.DEFAULTS.withAllowedOrigins(List.of("https://partner.example")))
            .build();

    private TestServer serve(List<String> allowed) {
        return TestServer.start(
                b -> b.router(router).limits(Limits.defaults().withAccess(a -> a.withAllowedOrigins(allowed))));
    }

    /** The status of an upgrade of {@code path} with {@code headers} changed (null removes). */
    private static int status(TestServer server, String path, String... headers) {
        Map<String, String> extra = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            extra.put(headers[i], headers[i + 1]);
        }
        try (RawClient raw = server.raw()) {
            return raw.upgrade(path, extra).status();
        }
    }

    @Test
    void byDefaultOnlyTheServersOwnOriginAndClientsWithoutOneAreAccepted() {
        try (LogCapture log = LogCapture.start();
                TestServer server = serve(List.of())) {
            String self = "127.0.0.1:" + server.port();
            assertThat(status(server, "/ws/echo")).isEqualTo(101);
            assertThat(status(server, "/ws/echo", "Origin", "http://" + self)).isEqualTo(101);
            assertThat(status(server, "/ws/echo", "Origin", "HTTP://" + self + "/"))
                    .isEqualTo(101);
            assertThat(status(server, "/ws/echo", "Origin", "https://localhost", "Host", "localhost"))
                    .isEqualTo(101);
            assertThat(status(server, "/ws/echo", "Origin", "https://localhost:443", "Host", "localhost:443"))
                    .isEqualTo(101);
            int before = connects.get();

            assertThat(status(server, "/ws/echo", "Origin", "http://evil.example"))
                    .isEqualTo(403);
            assertThat(status(server, "/ws/echo", "Origin", "http://127.0.0.1:1"))
                    .isEqualTo(403);
            assertThat(status(server, "/ws/echo", "Origin", "null")).isEqualTo(403);
            assertThat(status(server, "/ws/echo", "Origin", "not an origin")).isEqualTo(403);
            assertThat(connects).as("no handler ran for a refused origin").hasValue(before);
            assertThat(log.linesWith("with 403: origin 'http://evil.example' is not allowed"))
                    .hasSize(1);
        }
    }

    @Test
    void theRefusalSaysWhichOrigin() {
        try (TestServer server = serve(List.of());
                RawClient raw = server.raw()) {
            RawClient.HttpHead answer = raw.upgrade("/ws/echo", Map.of("Origin", "https://evil.example"));
            assertThat(answer.status()).isEqualTo(403);
            assertThat(answer.body()).isEqualTo("origin 'https://evil.example' is not allowed\n");
            raw.expectEof();
        }
    }

    @Test
    void configuredOriginsAreAcceptedWithoutRegardToCaseOrDefaultPorts() {
        try (TestServer server = serve(List.of("https://App.Example", "http://other.example:8080"))) {
            assertThat(status(server, "/ws/echo", "Origin", "https://app.example"))
                    .isEqualTo(101);
            assertThat(status(server, "/ws/echo", "Origin", "https://app.example:443"))
                    .isEqualTo(101);
            assertThat(status(server, "/ws/echo", "Origin", "http://other.example:8080"))
                    .isEqualTo(101);
            assertThat(status(server, "/ws/echo", "Origin", "http://app.example"))
                    .isEqualTo(403);
            assertThat(status(server, "/ws/echo", "Origin", "http://other.example"))
                    .isEqualTo(403);
        }
    }

    @Test
    void aStarAllowsEveryOrigin() {
        try (TestServer server = serve(List.of("*"))) {
            assertThat(status(server, "/ws/echo", "Origin", "http://evil.example"))
                    .isEqualTo(101);
            assertThat(status(server, "/ws/echo", "Origin", "null")).isEqualTo(101);
        }
    }

    @Test
    void aRouteSetsItsOwnListInsteadOfTheServers() {
        try (TestServer server = serve(List.of("https://app.example"))) {
            assertThat(status(server, "/ws/partner", "Origin", "https://partner.example"))
                    .isEqualTo(101);
            assertThat(status(server, "/ws/partner", "Origin", "https://app.example"))
                    .isEqualTo(403);
            assertThat(status(server, "/ws/partner")).isEqualTo(101);
            assertThat(status(server, "/ws/echo", "Origin", "https://partner.example"))
                    .isEqualTo(403);
        }
    }

    @Test
    void aMalformedAllowedOriginFailsAtStartNamingIt() {
        assertThatThrownBy(() -> Limits.defaults().withAccess(a -> a.withAllowedOrigins(List.of("app.example"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "allowedOrigins: 'app.example' is not an origin: expected scheme://host[:port], '*' or 'null'");
        assertThatThrownBy(() -> WebSocketOptions.DEFAULTS.withAllowedOrigins(List.of("https://a.example/path")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'https://a.example/path' is not an origin");
    }
}
