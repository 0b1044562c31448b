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
import io.switchboard.session.Decision;
import io.switchboard.session.Handlers;
import io.switchboard.session.Message;
import io.switchboard.session.Session;
import io.switchboard.settings.Limits;
import io.switchboard.testkit.ClientEvent;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.Recorder;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** server.close(): refuses new connections, closes open ones with 1001, drains, returns in time. */
class ShutdownTest {

    private final Recorder<String> disconnects = new Recorder<>("disconnects");

    private final Router router = Router.builder()
            .websocket("/ws/{name}", Handlers.of(ws -> ws.onConnect(session -> {
                        session.join("all");
                        return Decision.accept();
                    })
                    .onText(Session::send)
                    .onDisconnect((session, status) ->
                            disconnects.record(session.scope().pathParam("name") + " " + status.code()))))
            .http("/healthz", request -> HttpResponse.text(200, "ok"))
            .build();

    @Test
    void closeSays1001ToEveryConnectionRunsTheirDisconnectAndRefusesNewOnes() {
        try (TestServer server = TestServer.start(router)) {
            TestClient ann = server.connect("/ws/ann");
            TestClient bob = server.connect("/ws/bob");
            ann.sendText("open?");
            assertThat(ann.expectText()).isEqualTo("open?");
            int port = server.port();

            server.server().close();

            assertThat(disconnects.size())
                    .as("disconnects done when close returns")
                    .isEqualTo(2);
            assertThat(List.of(disconnects.next(Duration.ZERO), disconnects.next(Duration.ZERO)))
                    .containsExactlyInAnyOrder("ann 1001", "bob 1001");
            assertThat(server.server().openSessions()).isZero();
            assertThat(ann.expectClosed()).isEqualTo(new ClientEvent.Closed(1001, "going away"));
            assertThat(bob.expectClosed()).isEqualTo(new ClientEvent.Closed(1001, "going away"));
            assertThatThrownBy(() -> RawClient.connect("127.0.0.1", port))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(ConnectException.class);
        }
    }

    @Test
    void whatWasSentBeforeTheCloseIsDeliveredBeforeThe1001() {
        try (TestServer server = TestServer.start(router)) {
            TestClient ann = server.connect("/ws/ann");
            ann.sendText("joined?");
            assertThat(ann.expectText()).isEqualTo("joined?");
            for (int i = 0; i < 200; i++) {
                server.server().hub().broadcast("all", Message.text("m" + i));
            }
            server.server().close();
            for (int i = 0; i < 200; i++) {
                assertThat(ann.expectText()).isEqualTo("m" + i);
            }
            assertThat(ann.expectClosed().code()).isEqualTo(1001);
            assertThat(disconnects.next(Duration.ZERO)).isEqualTo("ann 1001");
        }
    }

    @Test
    void closeReturnsWithinTheDrainTimeoutWhenAClientNeverAnswers() {
        Limits limits = Limits.defaults()
                .withTimeouts(t -> t.withCloseTimeout(Duration.ofSeconds(60)).withDrainTimeout(Duration.ofMillis(500)));
        try (TestServer server = TestServer.start(b -> b.router(router).limits(limits));
                RawClient mute = server.raw();
                RawClient idleHttp = server.raw()) {
            assertThat(mute.upgrade("/ws/mute").status()).isEqualTo(101);
            assertThat(idleHttp.request("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
                            .status())
                    .isEqualTo(200);

            long start = System.nanoTime();
            server.server().close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).as("waited for the drain").isGreaterThanOrEqualTo(Duration.ofMillis(450));
            assertThat(took).as("but not much longer").isLessThan(Duration.ofMillis(2500));
            assertThat(mute.expectClose().closeCode()).isEqualTo(1001);
            mute.expectEof(); // dropped when the drain ran out
            idleHttp.expectEof(); // a kept-alive HTTP connection is closed too
            assertThat(disconnects.next(Duration.ofSeconds(5))).isEqualTo("mute 1001");
        }
    }

    @Test
    void closingTwiceDoesNothingMore() {
        try (TestServer server = TestServer.start(router)) {
            TestClient ann = server.connect("/ws/ann");
            server.server().close();
            server.server().close(Duration.ofSeconds(30));
            assertThat(ann.expectClosed().code()).isEqualTo(1001);
            assertThat(disconnects.next(Duration.ZERO)).isEqualTo("ann 1001");
            disconnects.assertEmpty();
        }
    }
}
