/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.routing.Router;
import io.switchboard.session.Execution;
import io.switchboard.session.Handlers;
import io.switchboard.settings.Limits;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.Recorder;
import io.switchboard.testkit.TestServer;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the log says about a client that cannot take what is sent: a slow consumer's line gives the
 * bytes actually queued for it, and a client that simply went away is not called a slow consumer.
 */
class SlowConsumerLogTest {

    private static final int LIMIT = 64 * 1024;
    private final Recorder<String> notes = new Recorder<>("handler");

    /** Given a number of kilobytes, sends them from the event loop, stopping at the first send refused. */
    private final Router router = Router.builder()
            .websocket("/ws/flood", Handlers.of(ws -> ws.onText((session, text) -> {
                        String kilobyte = "k".repeat(1024);
                        int count = Integer.parseInt(text);
                        int sent = 0;
                        while (sent < count && session.send(kilobyte)) {
                            sent++;
                        }
                        notes.record(sent < count ? "refused" : "all sent");
                    })
                    .onDisconnect((session, status) -> notes.record("disconnect"))
                    .execution(Execution.EVENT_LOOP)))
            .build();

    private TestServer serve() {
        return TestServer.start(b -> b.router(router)
                .limits(Limits.defaults().withBuffers(buffers -> buffers.withOutboundBufferBytes(LIMIT))));
    }

    @Test
    void aSlowConsumersLineGivesTheBytesQueuedNotTheLimit() {
        try (LogCapture log = LogCapture.start();
                TestServer server = serve();
                RawClient raw = server.raw()) {
            assertThat(raw.upgrade("/ws/flood").status()).isEqualTo(101);
            raw.sendText("100000"); // 100 MB, far more than the kernel's buffers hold; and read nothing
            assertThat(notes.next(Recorder.DEFAULT_TIMEOUT)).isEqualTo("refused");
            assertThat(notes.next(Recorder.DEFAULT_TIMEOUT)).isEqualTo("disconnect");

            List<String> lines = log.linesWith("with 1008: slow consumer");
            assertThat(lines).hasSize(1);
            Matcher queued = Pattern.compile("\\((\\d+) bytes queued\\)").matcher(lines.get(0));
            assertThat(queued.find()).as(lines.get(0)).isTrue();
            assertThat(Long.parseLong(queued.group(1)))
                    .as("over the limit: the buffer is full when the policy applies")
                    .isGreaterThan(LIMIT);
        }
    }

    /**
     * Sends only once the server has seen the connection go away (its close future completes on the
     * loop, in channelInactive), so every send meets a connection that is gone, never a full buffer.
     */
    private final Router afterGone = Router.builder()
            .websocket("/ws/gone", Handlers.of(ws -> ws.onText((session, text) -> {
                        notes.record("got " + text);
                        session.closeFuture().toCompletableFuture().join();
                        String kilobyte = "k".repeat(1024);
                        int count = Integer.parseInt(text);
                        int sent = 0;
                        while (sent < count && session.send(kilobyte)) {
                            sent++;
                        }
                        notes.record(sent < count ? "refused" : "all sent");
                    })
                    .onDisconnect((session, status) -> notes.record("disconnect"))))
            .build();

    @Test
    void aClientThatWentAwayIsNotASlowConsumer() {
        try (LogCapture log = LogCapture.start();
                TestServer server = TestServer.start(b -> b.router(afterGone)
                        .limits(Limits.defaults().withBuffers(buffers -> buffers.withOutboundBufferBytes(LIMIT))))) {
            for (int i = 0; i < 5; i++) {
                try (RawClient raw = server.raw()) {
                    assertThat(raw.upgrade("/ws/gone").status()).isEqualTo(101);
                    raw.sendText("2000");
                    assertThat(notes.next(Recorder.DEFAULT_TIMEOUT)).isEqualTo("got 2000");
                    raw.abort(); // gone: the handler's sends come after the server saw it
                }
                assertThat(notes.next(Recorder.DEFAULT_TIMEOUT)).isEqualTo("refused");
                assertThat(notes.next(Recorder.DEFAULT_TIMEOUT)).isEqualTo("disconnect");
            }
            assertThat(log.linesWith("slow consumer")).isEmpty();
        }
    }
}
