/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.engine.InMemoryHistory;
import io.switchboard.security.JwtVerifier;
import io.switchboard.security.TokenAuthenticator;
import io.switchboard.security.TokenIssuer;
import io.switchboard.server.Application;
import io.switchboard.server.chat.ChatSettings;
import io.switchboard.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The token method browsers have, {@code new WebSocket(url, ["bearer." + token])}, in a real
 * Chromium: the browser fails a handshake whose answer names none of the offered subprotocols, so
 * the server must answer with the one that carried the token.
 */
class BrowserTokenTest {

    private static final byte[] SECRET = "a-secret-of-at-least-32-bytes!!!".getBytes(StandardCharsets.UTF_8);
    private static final TokenIssuer JWT = TokenIssuer.hmac(SECRET);

    private static Browser browser;
    private Application app;
    private TestServer server;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void startServer() {
        app = new Application(ChatSettings.defaults(), new InMemoryHistory(), Clock.systemUTC());
        server = TestServer.start(b -> b.router(app.router())
                .authenticator(app.authenticator(new TokenAuthenticator(
                        JwtVerifier.builder().hmacSecret(SECRET).build()))));
    }

    @AfterEach
    void stopServer() {
        try {
            browser.reset();
        } finally {
            server.close();
            app.close();
        }
    }

    @Test
    void aTokenInASubprotocolOpensTheSocket() {
        String token = JWT.issue(
                Map.of("sub", "ann", "exp", Clock.systemUTC().instant().getEpochSecond() + 60));
        ChatPage page = browser.open("ann", "http://127.0.0.1:" + server.port() + "/");
        page.script(
                "window.events = [];"
                        + " const ws = new WebSocket('ws://127.0.0.1:' + arguments[0] + '/ws/chat/lobby', ['bearer.' + arguments[1]]);"
                        + " ws.onopen = () => window.events.push('open ' + ws.protocol);"
                        + " ws.onmessage = (e) => window.events.push(JSON.parse(e.data).type + ' ' + JSON.parse(e.data).user);"
                        + " ws.onclose = (e) => window.events.push('close ' + e.code);",
                server.port(),
                token);
        page.await("the welcome or a close", () -> (Boolean)
                page.script("return window.events.some(e => e.startsWith('welcome') || e.startsWith('close'))"));
        assertThat(page.script("return window.events")).isEqualTo(List.of("open bearer." + token, "welcome ann"));
    }
}
