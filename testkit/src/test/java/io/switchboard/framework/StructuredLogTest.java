/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.routing.Router;
import io.switchboard.routing.WebSocketOptions;
import io.switchboard.security.Authentication;
import io.switchboard.session.Handlers;
import io.switchboard.session.Session;
import io.switchboard.session.User;
import io.switchboard.settings.RateLimit;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.Recorder;
import io.switchboard.testkit.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A connection's log lines carry structured fields beside their unchanged text (SLF4J key-value
 * pairs, which slf4j-simple prints as {@code key=value} before the message): the peer's {@code
 * address}, the {@code session}, the {@code route}'s pattern (never the raw path), the {@code user}
 * and the close {@code code}.
 */
class StructuredLogTest {

    private final Recorder<String> sessions = new Recorder<>("session addresses");

    private final Router router = Router.builder()
            .websocket(
                    "/ws/rooms/{room}",
                    Handlers.of(ws -> ws.onOpen(
                                    session -> sessions.record(session.address().toString()))
                            .onText(Session::send)),
                    WebSocketOptions.DEFAULTS
                            .withRateLimit(RateLimit.of(1, 1))
                            .withAllowedOrigins(List.of("https://app.example")))
            .build();

    private TestServer serve() {
        return TestServer.start(b -> b.router(router).authenticator(scope -> Authentication.user(User.named("ann"))));
    }

    @Test
    void aCloseNamesTheConnectionTheRoutePatternTheUserAndTheCode() {
        try (LogCapture log = LogCapture.start();
                TestServer server = serve();
                RawClient raw = server.raw()) {
            assertThat(raw.upgrade("/ws/rooms/lobby").status()).isEqualTo(101);
            String session = sessions.next(Recorder.DEFAULT_TIMEOUT);
            raw.sendText("one");
            raw.sendText("two"); // over a burst of 1: closed with 1008
            assertThat(raw.readFrame().text()).isEqualTo("one");
            assertThat(raw.expectClose().closeCode()).isEqualTo(1008);

            List<String> lines = log.linesWith("closing " + session + " with 1008: over 1 messages per second");
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0))
                    .contains("address=127.0.0.1:" + raw.localPort())
                    .contains("session=" + session)
                    .contains("route=/ws/rooms/{room}")
                    .contains("user=ann")
                    .contains("code=1008")
                    .doesNotContain("lobby");
        }
    }

    @Test
    void aRefusedUpgradeNamesThePeerAndTheRoutePattern() {
        try (LogCapture log = LogCapture.start();
                TestServer server = serve();
                RawClient raw = server.raw()) {
            assertThat(raw.upgrade("/ws/rooms/lobby", Map.of("Origin", "https://evil.example"))
                            .status())
                    .isEqualTo(403);

            List<String> lines = log.linesWith("refusing a WebSocket upgrade from", "with 403");
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0))
                    .contains("address=127.0.0.1:" + raw.localPort())
                    .contains("route=/ws/rooms/{room}")
                    .doesNotContain("code=");
        }
    }
}
