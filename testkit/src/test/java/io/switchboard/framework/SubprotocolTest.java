/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.routing.Router;
import io.switchboard.session.Decision;
import io.switchboard.session.Handlers;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Subprotocols: the client offers, connect chooses one of them or none. */
class SubprotocolTest {

    /** Accepts the subprotocol named by {@code ?pick=}, or none; reports what it saw. */
    private static final Router ROUTER = Router.builder()
            .websocket("/ws/pick", Handlers.of(ws -> ws.onConnect(session -> {
                        session.send("offered " + session.scope().subprotocols());
                        return session.scope()
                                .queryParam("pick")
                                .map(Decision::accept)
                                .orElse(Decision.accept());
                    })
                    .onText((session, text) ->
                            session.send("agreed " + session.subprotocol().orElse("none")))))
            .build();

    @Test
    void theHandlerChoosesOneOfTheOfferedSubprotocols() {
        try (TestServer server = TestServer.start(ROUTER)) {
            TestClient client = server.connect("/ws/pick?pick=chat.v1", Map.of(), List.of("chat.v2", "chat.v1"));
            assertThat(client.subprotocol()).isEqualTo("chat.v1");
            assertThat(client.expectText()).isEqualTo("offered [chat.v2, chat.v1]");
            client.sendText("?");
            assertThat(client.expectText()).isEqualTo("agreed chat.v1");
        }
    }

    @Test
    void theHandlerMayChooseNone() {
        try (TestServer server = TestServer.start(ROUTER);
                RawClient raw = server.raw()) {
            RawClient.HttpHead answer = raw.upgrade("/ws/pick", Map.of("Sec-WebSocket-Protocol", "chat.v2"));
            assertThat(answer.status()).isEqualTo(101);
            assertThat(answer.header("Sec-WebSocket-Protocol")).isNull();
            assertThat(raw.readFrame().text()).isEqualTo("offered [chat.v2]");
            raw.sendText("?");
            assertThat(raw.readFrame().text()).isEqualTo("agreed none");
        }
    }

    @Test
    void offersInSeveralHeadersAndCommaListsAreAllSeenInOrder() {
        try (TestServer server = TestServer.start(ROUTER);
                RawClient raw = server.raw()) {
            String request =
                    "GET /ws/pick?pick=c HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Key: " + RawClient.newKey() + "\r\nSec-WebSocket-Version: 13\r\n"
                            + "Sec-WebSocket-Protocol: a, b\r\nSec-WebSocket-Protocol: c\r\n\r\n";
            RawClient.HttpHead answer = raw.request(request);
            assertThat(answer.status()).isEqualTo(101);
            assertThat(answer.header("Sec-WebSocket-Protocol")).isEqualTo("c");
            assertThat(raw.readFrame().text()).isEqualTo("offered [a, b, c]");
        }
    }

    @Test
    void choosingASubprotocolTheClientDidNotOfferIsRefusedWith500() {
        try (LogCapture log = LogCapture.start();
                TestServer server = TestServer.start(ROUTER);
                RawClient raw = server.raw()) {
            RawClient.HttpHead answer =
                    raw.upgrade("/ws/pick?pick=chat.v3", Map.of("Sec-WebSocket-Protocol", "chat.v1"));
            assertThat(answer.status()).isEqualTo(500);
            raw.expectEof();
            assertThat(log.linesWith("chose subprotocol 'chat.v3', which the client did not offer"))
                    .hasSize(1);
        }
    }
}
