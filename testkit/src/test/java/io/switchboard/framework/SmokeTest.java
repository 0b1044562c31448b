package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.routing.Router;
import io.switchboard.session.Handlers;
import io.switchboard.session.Session;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void echo() {
        Router router = Router.builder()
                .websocket(
                        "/ws/echo", Handlers.of(ws -> ws.onText(Session::send).onBinary(Session::send)))
                .build();
        try (TestServer server = TestServer.start(router)) {
            TestClient client = server.connect("/ws/echo");
            client.sendText("hello");
            assertThat(client.expectText()).isEqualTo("hello");
            client.sendBinary(new byte[] {1, 2, 3});
            assertThat(client.expectBinary()).containsExactly(1, 2, 3);
            client.sendClose(1000, "bye");
            assertThat(client.expectClosed().code()).isEqualTo(1000);
        }
    }
}
