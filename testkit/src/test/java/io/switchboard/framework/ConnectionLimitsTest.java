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
import io.switchboard.session.Session;
import io.switchboard.settings.Limits;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.Recorder;
import io.switchboard.testkit.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Connection limits: in all (503) and per remote address (429), refused before any handler runs,
 * with slots given back when connections close. One network thread, so that a close the client has
 * seen has also given its slot back before the client's next request is read.
 */
class ConnectionLimitsTest {

    private final Recorder<String> closes = new Recorder<>("disconnects");
    private final AtomicInteger connects = new AtomicInteger();

    private final Router router = Router.builder()
            .websocket("/ws/echo", Handlers.of(ws -> ws.onConnect(session -> {
                        connects.incrementAndGet();
                        return session.scope().queryParam("refuse").isPresent()
                                ? Decision.reject(403, "refused by the handler")
                                : Decision.accept();
                    })
                    .onText(Session::send)
                    .onDisconnect((session, status) -> closes.record("closed " + status.code()))))
            .build();

    private TestServer serve(int max, int perAddress) {
        return TestServer.start(
                b -> b.router(router).ioThreads(1).limits(Limits.defaults().withCapacity(c -> c.withMaxConnections(max)
                        .withMaxConnectionsPerAddress(perAddress))));
    }

    private static RawClient open(TestServer server) {
        RawClient raw = server.raw();
        assertThat(raw.upgrade("/ws/echo").status()).isEqualTo(101);
        return raw;
    }

    private static RawClient.HttpHead refused(TestServer server, String path) {
        try (RawClient raw = server.raw()) {
            RawClient.HttpHead answer = raw.upgrade(path);
            raw.expectEof();
            return answer;
        }
    }

    /** Closes cleanly and waits until the server has seen the close through to the handler. */
    private void closeAndWait(RawClient raw) {
        raw.sendClose(1000, "");
        assertThat(raw.expectClose().closeCode()).isEqualTo(1000);
        raw.expectEof();
        raw.close();
        assertThat(closes.next(Duration.ofSeconds(5))).isEqualTo("closed 1000");
    }

    @Test
    void overTheLimitPerAddressTheUpgradeGets429BeforeAnyHandlerRuns() {
        try (LogCapture log = LogCapture.start();
                TestServer server = serve(100, 2);
                RawClient first = open(server);
                RawClient second = open(server)) {
            RawClient.HttpHead answer = refused(server, "/ws/echo");
            assertThat(answer.status()).isEqualTo(429);
            assertThat(answer.body()).isEqualTo("too many connections from this address (at most 2)\n");
            assertThat(connects).hasValue(2);
            assertThat(log.linesWith("with 429: too many connections from this address"))
                    .hasSize(1);

            closeAndWait(first);
            RawClient third = open(server); // the slot came back
            third.sendText("in");
            assertThat(third.readFrame().text()).isEqualTo("in");
            third.close();
        }
    }

    @Test
    void eachAddressHasItsOwnCount() throws IOException {
        try (TestServer server = serve(100, 1);
                RawClient first = open(server)) {
            assertThat(refused(server, "/ws/echo").status()).isEqualTo(429);
            try (Socket other = new Socket()) {
                other.bind(new InetSocketAddress("127.0.0.2", 0)); // a second client address
                other.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
                other.setSoTimeout(10_000);
                String request = "GET /ws/echo HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                        + RawClient.newKey() + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
                other.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                String statusLine = new BufferedReader(
                                new InputStreamReader(other.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                assertThat(statusLine).startsWith("HTTP/1.1 101 ");
            }
        }
    }

    @Test
    void overTheLimitInAllTheUpgradeGets503() {
        try (TestServer server = serve(2, 100);
                RawClient first = open(server);
                RawClient second = open(server)) {
            RawClient.HttpHead answer = refused(server, "/ws/echo");
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.body()).isEqualTo("the server holds its maximum of 2 connections\n");
            assertThat(connects).hasValue(2);
            closeAndWait(second);
            open(server).close();
        }
    }

    @Test
    void noSlotLeaksWhateverWayConnectionsEnd() {
        try (TestServer server = serve(3, 3)) {
            for (int round = 0; round < 5; round++) {
                // Closed cleanly, dropped without a close frame, refused by the handler, refused
                // for being over the limit: every way gives its slot back.
                RawClient clean = open(server);
                RawClient dropped = open(server);
                assertThat(refused(server, "/ws/echo?refuse").status()).isEqualTo(403);
                RawClient third = open(server);
                assertThat(refused(server, "/ws/echo").status()).isEqualTo(503);
                closeAndWait(clean);
                dropped.close();
                assertThat(closes.next(Duration.ofSeconds(5))).isEqualTo("closed 1006");
                third.sendClose(1000, "");
                third.expectClose();
                third.expectEof();
                third.close();
                assertThat(closes.next(Duration.ofSeconds(5))).isEqualTo("closed 1000");
            }
            List<RawClient> full = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                full.add(open(server));
            }
            assertThat(refused(server, "/ws/echo").status()).isEqualTo(503);
            full.forEach(RawClient::close);
        }
    }
}
