/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.http.HttpResponse;
import io.switchboard.routing.Router;
import io.switchboard.session.Handlers;
import io.switchboard.session.Session;
import io.switchboard.settings.Limits;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The handshake timeout: slow or silent clients and idle keep-alive connections are closed. */
class RequestTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);
    /** Longer than the timeout: how long a test waits to see that nothing was closed. */
    private static final Duration LONGER = TIMEOUT.multipliedBy(3);

    private static final CountDownLatch NEVER = new CountDownLatch(1);

    private final Router router = Router.builder()
            .websocket("/ws/echo", Handlers.of(ws -> ws.onText(Session::send)))
            .http("/hello", request -> HttpResponse.text(200, "hello"))
            .http("/slow", request -> {
                NEVER.await(LONGER.toMillis(), TimeUnit.MILLISECONDS); // longer than the timeout
                return HttpResponse.text(200, "slow but served");
            })
            .build();

    private TestServer serve() {
        return TestServer.start(
                b -> b.router(router).limits(Limits.defaults().withTimeouts(t -> t.withHandshakeTimeout(TIMEOUT))));
    }

    @Test
    void aConnectionThatSendsNothingIsClosedWithOneLogLine() {
        try (LogCapture log = LogCapture.start();
                TestServer server = serve();
                RawClient raw = server.raw()) {
            raw.expectEof(Duration.ofSeconds(5));
            assertThat(log.linesWith("no complete request within 300 ms")).hasSize(1);
        }
    }

    @Test
    void anUpgradeRequestDribbledOutTooSlowlyIsClosed() {
        try (TestServer server = serve();
                RawClient raw = server.raw()) {
            raw.writeRaw("GET /ws/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            raw.expectEof(Duration.ofSeconds(5));
        }
    }

    @Test
    void aKeepAliveConnectionIdleAfterItsLastAnswerIsClosed() {
        try (TestServer server = serve();
                RawClient raw = server.raw()) {
            RawClient.HttpHead first = raw.request("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("Connection")).isEqualToIgnoringCase("keep-alive");
            raw.expectEof(Duration.ofSeconds(5));
        }
    }

    @Test
    void theClockStopsWhileARequestIsServed() {
        try (TestServer server = serve();
                RawClient raw = server.raw()) {
            RawClient.HttpHead answer = raw.request("GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("slow but served");
        }
    }

    @Test
    void anOpenWebSocketIsNotSubjectToTheHandshakeTimeout() {
        try (TestServer server = serve()) {
            TestClient client = server.connect("/ws/echo");
            client.expectNothing(LONGER);
            client.sendText("still open");
            assertThat(client.expectText()).isEqualTo("still open");
        }
    }
}
