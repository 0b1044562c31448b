package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.routing.Router;
import io.switchboard.session.Execution;
import io.switchboard.session.Session;
import io.switchboard.session.WebSocketHandler;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Frames that arrive in the same packet as the upgrade request are served, and answered at once. */
class EarlyFramesTest {

    @ParameterizedTest
    @EnumSource(Execution.class)
    void framesRightBehindTheUpgradeRequestAreAnswered(Execution execution) {
        WebSocketHandler echo = new WebSocketHandler() {
            @Override
            public void onText(Session session, String text) {
                session.send("echo " + text);
            }

            @Override
            public Execution execution() {
                return execution;
            }
        };
        try (TestServer server = TestServer.start(
                        Router.builder().websocket("/ws", () -> echo).build());
                RawClient raw = server.raw()) {
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.writeBytes(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Key: " + RawClient.newKey() + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            packet.writeBytes(RawClient.encode(true, 0, RawClient.TEXT, "one".getBytes(StandardCharsets.UTF_8), true));
            packet.writeBytes(RawClient.encode(true, 0, RawClient.TEXT, "two".getBytes(StandardCharsets.UTF_8), true));
            raw.writeRaw(packet.toByteArray());

            assertThat(raw.readResponse().status()).isEqualTo(101);
            assertThat(raw.readFrame().text()).isEqualTo("echo one");
            assertThat(raw.readFrame().text()).isEqualTo("echo two");
        }
    }
}
