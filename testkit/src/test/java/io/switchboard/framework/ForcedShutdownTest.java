/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.routing.Router;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Decision;
import io.switchboard.session.Handlers;
import io.switchboard.session.Message;
import io.switchboard.settings.Limits;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.Recorder;
import io.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A shutdown that does not wait for a busy handler: the drain runs out, the event loops stop, and a
 * handler that wakes up afterwards finds its session closed. What it does then (send, close, join,
 * broadcast) fails quietly, as on any closed session; nothing is thrown at it or printed.
 */
class ForcedShutdownTest {

    private final Recorder<String> notes = new Recorder<>("handler");
    private final CountDownLatch wake = new CountDownLatch(1);

    private final Router router = Router.builder()
            .websocket("/ws/busy", Handlers.of(ws -> ws.onConnect(session -> {
                        session.join("all");
                        return Decision.accept();
                    })
                    .onText((session, text) -> {
                        notes.record("busy");
                        wake.await();
                        notes.record("send " + session.send("too late"));
                        session.hub().broadcast("all", Message.text("too late for all"));
                        session.close(CloseStatus.NORMAL);
                        notes.record("closed");
                    })
                    .onDisconnect((session, status) -> notes.record("disconnect " + status.code()))))
            .build();

    @Test
    void aHandlerThatOutlivesTheDrainEndsQuietly() {
        Limits limits = Limits.defaults().withTimeouts(t -> t.withDrainTimeout(Duration.ofMillis(200)));
        try (LogCapture log = LogCapture.start();
                TestServer server = TestServer.start(b -> b.router(router).limits(limits));
                RawClient raw = server.raw()) {
            assertThat(raw.upgrade("/ws/busy").status()).isEqualTo(101);
            raw.sendText("work");
            assertThat(notes.next(Recorder.DEFAULT_TIMEOUT)).isEqualTo("busy");

            server.server().close(); // returns after the drain, the event loops stopped
            wake.countDown();

            assertThat(notes.next(Recorder.DEFAULT_TIMEOUT)).isEqualTo("send false");
            assertThat(notes.next(Recorder.DEFAULT_TIMEOUT)).isEqualTo("closed");
            assertThat(notes.next(Recorder.DEFAULT_TIMEOUT)).isEqualTo("disconnect 1001");
            notes.assertEmpty();
            assertThat(log.linesWith("Exception")).isEmpty();
            assertThat(log.linesWith("failed")).isEmpty();
        }
    }
}
