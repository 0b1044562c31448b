/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.http.HttpResponse;
import io.switchboard.routing.Router;
import io.switchboard.session.Handlers;
import io.switchboard.session.Session;
import io.switchboard.settings.Limits;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every request names one host (RFC 9112, section 3.2) and the server answers only names it knows
 * as its own, against DNS rebinding: 400 otherwise, for plain requests and upgrades alike.
 */
class HostHeaderTest {

    private final Router router = Router.builder()
            .http("/healthz", request -> HttpResponse.text(200, "ok"))
            .websocket("/ws/echo", Handlers.of(ws -> ws.onText(Session::send)))
            .build();

    private TestServer serve(List<String> allowedHosts) {
        return TestServer.start(
                b -> b.router(router).limits(Limits.defaults().withAccess(a -> a.withAllowedHosts(allowedHosts))));
    }

    /** The status of {@code GET /healthz} sent as {@code version} with {@code headers}, CRLF-terminated. */
    private static int plain(TestServer server, String version, String headers) {
        try (RawClient raw = server.raw()) {
            return raw.request("GET /healthz " + version + "\r\n" + headers + "\r\n")
                    .status();
        }
    }

    /** The status of an upgrade with {@code headers} changed (null removes). */
    private static int upgrade(TestServer server, String... headers) {
        Map<String, String> extra = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            extra.put(headers[i], headers[i + 1]);
        }
        try (RawClient raw = server.raw()) {
            return raw.upgrade("/ws/echo", extra).status();
        }
    }

    @Test
    void anHttp11RequestWithoutOneHostGets400() {
        try (LogCapture log = LogCapture.start();
                TestServer server = TestServer.start(router);
                RawClient raw = server.raw()) {
            RawClient.HttpHead answer = raw.request("GET /healthz HTTP/1.1\r\n\r\n");
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body()).isEqualTo("missing or repeated Host header\n");
            raw.expectEof();
            assertThat(log.linesWith("with 400: missing or repeated Host header"))
                    .hasSize(1);

            assertThat(plain(server, "HTTP/1.1", "Host: localhost\r\nHost: localhost\r\n"))
                    .isEqualTo(400);
            assertThat(plain(server, "HTTP/1.1", "Host: \r\n")).isEqualTo(400);
            assertThat(upgrade(server, "Host", null)).isEqualTo(400);
            assertThat(plain(server, "HTTP/1.0", "")).as("HTTP/1.0 has no Host").isEqualTo(200);
            assertThat(plain(server, "HTTP/1.1", "Host: localhost\r\n")).isEqualTo(200);
        }
    }

    @Test
    void byDefaultOnlyLoopbackNamesAreServed() {
        try (TestServer server = TestServer.start(router)) {
            int port = server.port();
            for (String host : List.of("localhost", "localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port)) {
                assertThat(plain(server, "HTTP/1.1", "Host: " + host + "\r\n"))
                        .as(host)
                        .isEqualTo(200);
                assertThat(upgrade(server, "Host", host)).as(host).isEqualTo(101);
            }
            assertThat(plain(server, "HTTP/1.1", "Host: evil.example:" + port + "\r\n"))
                    .isEqualTo(400);
            assertThat(plain(server, "HTTP/1.1", "Host: 127.0.0.1.evil.example\r\n"))
                    .isEqualTo(400);
            assertThat(plain(server, "HTTP/1.1", "Host: chat.localhost:" + port + "\r\n"))
                    .as("names under localhost are loopback (RFC 6761)")
                    .isEqualTo(200);
        }
    }

    /** Rebinding needs a name: a Host that is an address, any address, is not a rebound page. */
    @Test
    void anAddressIsAlwaysServed() {
        try (TestServer server = serve(List.of("chat.example"))) {
            for (String host : List.of("127.0.0.2", "10.0.0.1:8000", "[::1]", "[fe80::1]:80")) {
                assertThat(plain(server, "HTTP/1.1", "Host: " + host + "\r\n"))
                        .as(host)
                        .isEqualTo(200);
            }
            assertThat(plain(server, "HTTP/1.1", "Host: 256.0.0.1\r\n")).isEqualTo(400);
        }
    }

    /** A page whose name was rebound to 127.0.0.1 is its own origin; only its Host gives it away. */
    @Test
    void aRebindingPageCannotOpenASocket() {
        try (TestServer server = TestServer.start(router);
                RawClient raw = server.raw()) {
            String rebound = "rebind.evil.example:" + server.port();
            RawClient.HttpHead answer = raw.upgrade("/ws/echo", Map.of("Host", rebound, "Origin", "http://" + rebound));
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body())
                    .isEqualTo("host '" + rebound + "' is not allowed (add it to the allowed hosts)\n");
            raw.expectEof();
        }
    }

    @Test
    void configuredHostsDomainsAndAStarAreServed() {
        try (TestServer server = serve(List.of("chat.example", ".corp.example"))) {
            assertThat(plain(server, "HTTP/1.1", "Host: CHAT.example:8000\r\n")).isEqualTo(200);
            assertThat(upgrade(server, "Host", "a.b.corp.example")).isEqualTo(101);
            assertThat(plain(server, "HTTP/1.1", "Host: corp.example\r\n")).isEqualTo(200);
            assertThat(plain(server, "HTTP/1.1", "Host: other.example\r\n")).isEqualTo(400);
            assertThat(plain(server, "HTTP/1.1", "Host: localhost\r\n"))
                    .as("the list replaces the loopback names")
                    .isEqualTo(400);
            assertThat(plain(server, "HTTP/1.1", "Host: 127.0.0.1\r\n"))
                    .as("but the specific address the server listens on stays")
                    .isEqualTo(200);
        }
        try (TestServer server = serve(List.of("*"))) {
            assertThat(plain(server, "HTTP/1.1", "Host: anything.example\r\n")).isEqualTo(200);
        }
    }

    @Test
    void aMalformedAllowedHostFailsAtStartNamingIt() {
        assertThatThrownBy(() -> Limits.defaults().withAccess(a -> a.withAllowedHosts(List.of("https://chat.example"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "allowedHosts: 'https://chat.example' is not a host: expected a name, an address, .domain or '*'");
    }
}
