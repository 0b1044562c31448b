/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.routing.Router;
import io.switchboard.routing.WebSocketOptions;
import io.switchboard.session.Handlers;
import io.switchboard.session.Session;
import io.switchboard.settings.Limits;
import io.switchboard.settings.RateLimit;
import io.switchboard.settings.RateLimitPolicy;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Messages per second per connection: a token bucket, closing with 1008 or dropping with a reply,
 * server-wide or per route. One message a second refills far slower than a test sends, so the
 * bucket only holds its burst.
 */
class RateLimitTest {

    private static final RateLimit DROP_THREE = RateLimit.of(1, 3).withPolicy(RateLimitPolicy.DROP);

    private final Router router = Router.builder()
            .websocket("/ws/echo", Handlers.of(ws -> ws.onText(Session::send)))
            .websocket(
                    "/ws/drop",
                    Handlers.of(ws -> ws.onText(Session::send)),
                    WebSocketOptions.DEFAULTS.withRateLimit(DROP_THREE))
            .websocket(
                    "/ws/quiet",
                    Handlers.of(ws -> ws.onText(Session::send)),
                    WebSocketOptions.DEFAULTS.withRateLimit(DROP_THREE.withReply("slow down")))
            .websocket(
                    "/ws/shaped",
                    Handlers.of(ws -> ws.onText(Session::send)),
                    WebSocketOptions.DEFAULTS.withRateLimit(DROP_THREE).withRateLimitReply("{\"error\"}"))
            .websocket(
                    "/ws/free",
                    Handlers.of(ws -> ws.onText(Session::send)),
                    WebSocketOptions.DEFAULTS.withRateLimit(RateLimit.OFF))
            .build();

    private TestServer serve() {
        return TestServer.start(b -> b.router(router).limits(Limits.defaults().withRateLimit(RateLimit.of(1, 3))));
    }

    private static RawClient open(TestServer server, String path) {
        RawClient raw = server.raw();
        assertThat(raw.upgrade(path).status()).isEqualTo(101);
        return raw;
    }

    private static List<String> read(RawClient raw, int count) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            texts.add(raw.readFrame().text());
        }
        return texts;
    }

    /**
     * The close frame, after echoes of the first messages: the close goes out as soon as the message
     * over the limit arrives, and the handler's echoes that come after it are not sent, so only some
     * of the burst may be echoed, in order.
     */
    private static RawClient.Frame closeAfterEchoes(RawClient raw) {
        List<String> echoed = new ArrayList<>();
        for (RawClient.Frame frame = raw.readFrame(); ; frame = raw.readFrame()) {
            if (frame.opcode() == RawClient.CLOSE) {
                assertThat(echoed).hasSizeLessThanOrEqualTo(3);
                assertThat(echoed).isEqualTo(List.of("m0", "m1", "m2").subList(0, echoed.size()));
                return frame;
            }
            echoed.add(frame.text());
        }
    }

    @Test
    void theMessageAfterTheBurstCloses1008WithOneLogLine() {
        try (LogCapture log = LogCapture.start();
                TestServer server = serve();
                RawClient raw = open(server, "/ws/echo")) {
            for (int i = 0; i < 4; i++) {
                raw.sendText("m" + i);
            }
            RawClient.Frame close = closeAfterEchoes(raw);
            assertThat(close.closeCode()).isEqualTo(1008);
            assertThat(close.closeReason()).isEqualTo("rate limit exceeded");
            raw.expectEof(); // without waiting for our close frame
            assertThat(log.linesWith("with 1008: over 1 messages per second")).hasSize(1);
        }
    }

    @Test
    void aRouteThatDropsDropsSilentlyByDefaultAndStaysOpen() {
        try (LogCapture log = LogCapture.start();
                TestServer server = serve();
                RawClient raw = open(server, "/ws/drop")) {
            for (int i = 0; i < 6; i++) {
                raw.sendText("m" + i);
            }
            assertThat(read(raw, 3)).containsExactly("m0", "m1", "m2");
            // A reply to a dropped message would be written before the answer to this close.
            raw.sendClose(1000, "");
            assertThat(raw.expectClose().closeCode()).isEqualTo(1000);
            assertThat(log.linesWith("dropping messages from")).hasSize(1);
        }
    }

    @Test
    void aRouteGivesTheLimitInEffectItsApplicationsReply() {
        try (TestServer server = serve();
                RawClient raw = open(server, "/ws/shaped")) {
            for (int i = 0; i < 5; i++) {
                raw.sendText("m" + i);
            }
            // Echoes come from the handler's thread, replies from the network thread: any order.
            assertThat(read(raw, 5)).containsExactlyInAnyOrder("m0", "m1", "m2", "{\"error\"}", "{\"error\"}");
        }
    }

    @Test
    void aRouteChoosesItsReply() {
        try (TestServer server = serve();
                RawClient raw = open(server, "/ws/quiet")) {
            for (int i = 0; i < 4; i++) {
                raw.sendText("m" + i);
            }
            assertThat(read(raw, 4)).containsExactlyInAnyOrder("m0", "m1", "m2", "slow down");
        }
    }

    @Test
    void aRouteCanTurnTheLimitOff() {
        try (TestServer server = serve();
                RawClient raw = open(server, "/ws/free")) {
            for (int i = 0; i < 50; i++) {
                raw.sendText("m" + i);
            }
            for (int i = 0; i < 50; i++) {
                assertThat(raw.readFrame().text()).isEqualTo("m" + i);
            }
        }
    }

    @Test
    void oneConnectionOverItsLimitDoesNotAffectAnother() {
        try (TestServer server = serve();
                RawClient flooder = open(server, "/ws/echo")) {
            TestClient other = server.connect("/ws/echo");
            for (int i = 0; i < 4; i++) {
                flooder.sendText("m" + i);
            }
            assertThat(closeAfterEchoes(flooder).closeCode()).isEqualTo(1008);
            flooder.expectEof();
            other.sendText("mine");
            assertThat(other.expectText()).isEqualTo("mine");
        }
    }

    @Test
    void theDefaultIsAHundredASecondInBurstsOfTwoHundredClosingOverIt() {
        assertThat(Limits.defaults().rateLimit()).isEqualTo(new RateLimit(100, 200, RateLimitPolicy.CLOSE, null));
    }
}
