/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.routing.Router;
import io.switchboard.session.Decision;
import io.switchboard.session.Event;
import io.switchboard.session.Execution;
import io.switchboard.session.Handlers;
import io.switchboard.session.Session;
import io.switchboard.testkit.ClientEvent;
import io.switchboard.testkit.Recorder;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A handler that throws: logged once, its connection closed with 1011, its disconnect still run,
 * and every other connection unaffected.
 */
class HandlerErrorsTest {

    private final Recorder<String> calls = new Recorder<>("handler calls");

    private Handlers.Builder failing(Handlers.Builder ws) {
        return ws.onConnect(session -> {
                    session.join("all");
                    return Decision.accept();
                })
                .onText((session, text) -> {
                    calls.record("text " + text);
                    if (text.startsWith("boom")) {
                        throw new IllegalStateException(
                                "handler exploded on " + session.scope().path());
                    }
                    if (text.equals("error")) {
                        throw new AssertionError("not even an exception");
                    }
                    session.send("ok " + text);
                })
                .onBinary((session, data) -> {
                    throw new IllegalArgumentException(
                            "no binary on " + session.scope().path());
                })
                .onEvent((session, event) -> {
                    throw new IllegalStateException(
                            "event failed on " + session.scope().path());
                })
                .onDisconnect((session, status) -> {
                    calls.record("disconnect " + status.code());
                    if (session.scope().path().endsWith("/bad-disconnect")) {
                        throw new IllegalStateException("disconnect failed");
                    }
                });
    }

    /** Answers a bad argument and keeps the connection; closes with 4400 on anything else. */
    private void mapped(Session session, Throwable error) {
        calls.record("error " + error.getClass().getSimpleName());
        if (error instanceof IllegalArgumentException) {
            session.send("bad: " + error.getMessage());
        } else {
            session.close(4400, "refused");
        }
    }

    private Router router() {
        return Router.builder()
                .websocket("/ws/virtual/{name}", Handlers.of(this::failing))
                .websocket("/ws/mapped/{name}", Handlers.of(ws -> failing(ws).onError(this::mapped)))
                .websocket("/ws/loop/{name}", Handlers.of(ws -> failing(ws).execution(Execution.EVENT_LOOP)))
                .build();
    }

    @Test
    void anExceptionIsLoggedOnceAndClosesOnlyItsConnectionWith1011() {
        exceptionClosesOnlyItsConnection("virtual");
    }

    @Test
    void anExceptionOnTheEventLoopIsLoggedOnceAndClosesOnlyItsConnectionWith1011() {
        exceptionClosesOnlyItsConnection("loop");
    }

    private void exceptionClosesOnlyItsConnection(String kind) {
        try (LogCapture log = LogCapture.start();
                TestServer server = TestServer.start(b -> b.router(router()).ioThreads(1))) {
            TestClient failing = server.connect("/ws/" + kind + "/failing");
            TestClient bystander = server.connect("/ws/" + kind + "/bystander");
            failing.sendText("boom");
            failing.sendText("boom again"); // already failed: skipped, not logged again
            assertThat(failing.expectClosed()).isEqualTo(new ClientEvent.Closed(1011, "internal error"));

            bystander.sendText("still fine");
            assertThat(bystander.expectText()).isEqualTo("ok still fine");
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("text boom");
            // Two connections: the failing one's disconnect and the bystander's message in any order.
            assertThat(List.of(calls.next(Duration.ofSeconds(5)), calls.next(Duration.ofSeconds(5))))
                    .containsExactlyInAnyOrder("disconnect 1011", "text still fine");
            assertThat(log.linesWith("on /ws/" + kind + "/failing failed; closing with 1011"))
                    .hasSize(1);
            assertThat(log.linesWith("IllegalStateException: handler exploded on /ws/" + kind + "/failing"))
                    .hasSize(1);
            assertThat(log.linesWith("/ws/" + kind + "/bystander")).isEmpty();
        }
    }

    @Test
    void anErrorThatIsNotAnExceptionAlsoCloses1011() {
        try (LogCapture log = LogCapture.start();
                TestServer server = TestServer.start(router())) {
            TestClient client = server.connect("/ws/virtual/error");
            client.sendText("error");
            assertThat(client.expectClosed().code()).isEqualTo(1011);
            assertThat(log.linesWith("AssertionError: not even an exception")).hasSize(1);
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("text error");
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("disconnect 1011");
        }
    }

    @Test
    void binaryAndEventCallbacksThatThrowClose1011Too() {
        try (LogCapture log = LogCapture.start();
                TestServer server = TestServer.start(router())) {
            TestClient binary = server.connect("/ws/virtual/binary");
            binary.sendBinary(new byte[] {1});
            assertThat(binary.expectClosed().code()).isEqualTo(1011);
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("disconnect 1011");

            TestClient event = server.connect("/ws/virtual/event");
            event.sendText("joined?");
            assertThat(event.expectText()).isEqualTo("ok joined?");
            server.server().hub().event("all", new Event("poke", "{}"));
            assertThat(event.expectClosed().code()).isEqualTo(1011);
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("text joined?");
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("disconnect 1011");
            assertThat(log.linesWith("IllegalArgumentException: no binary on /ws/virtual/binary"))
                    .hasSize(1);
            assertThat(log.linesWith("IllegalStateException: event failed on /ws/virtual/event"))
                    .hasSize(1);
        }
    }

    @Test
    void aDisconnectThatThrowsIsLoggedAndHarmsNoOne() {
        try (LogCapture log = LogCapture.start();
                TestServer server = TestServer.start(b -> b.router(router()).ioThreads(1))) {
            TestClient client = server.connect("/ws/virtual/bad-disconnect");
            TestClient bystander = server.connect("/ws/virtual/bystander");
            client.sendClose(1000, "");
            assertThat(client.expectClosed().code()).isEqualTo(1000);
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("disconnect 1000");
            bystander.sendText("still fine");
            assertThat(bystander.expectText()).isEqualTo("ok still fine");
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("text still fine");
            assertThat(log.awaitLinesWith("IllegalStateException: disconnect failed"))
                    .hasSize(1);
        }
    }

    @Test
    void onErrorMapsAFailureToAnAnswerOrAnotherCloseCodeInsteadOf1011() {
        try (LogCapture log = LogCapture.start();
                TestServer server = TestServer.start(router())) {
            TestClient client = server.connect("/ws/mapped/client");
            client.sendBinary(new byte[] {1});
            assertThat(client.expectText()).isEqualTo("bad: no binary on /ws/mapped/client");
            client.sendText("still here");
            assertThat(client.expectText()).isEqualTo("ok still here");
            client.sendText("boom");
            assertThat(client.expectClosed()).isEqualTo(new ClientEvent.Closed(4400, "refused"));
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("error IllegalArgumentException");
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("text still here");
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("text boom");
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("error IllegalStateException");
            assertThat(calls.next(Duration.ofSeconds(5))).isEqualTo("disconnect 4400");
            assertThat(log.linesWith("closing with 1011")).isEmpty();
        }
    }
}
