/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.blocking.BlockingHandler;
import io.switchboard.blocking.SessionClosedException;
import io.switchboard.routing.Router;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Message;
import io.switchboard.testkit.ClientEvent;
import io.switchboard.testkit.Recorder;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The blocking style (dwebsocket): a function owns the connection and returns when done. */
class BlockingHandlerTest {

    private final Recorder<String> notes = new Recorder<>("blocking function");

    private static TestServer serve(BlockingHandler function) {
        return TestServer.start(Router.builder().blocking("/ws/fn", function).build());
    }

    @Test
    void receiveWaitsForEachMessageAndReturningClosesWith1000() {
        try (TestServer server = serve(ws -> {
            while (true) {
                Message message = ws.receive();
                if (message instanceof Message.Text text && text.text().equals("bye")) {
                    return;
                }
                switch (message) {
                    case Message.Text text -> ws.send("echo " + text.text());
                    case Message.Binary binary -> ws.send(binary.data());
                }
            }
        })) {
            TestClient client = server.connect("/ws/fn");
            client.sendText("one");
            client.sendBinary(new byte[] {7});
            assertThat(client.expectText()).isEqualTo("echo one");
            assertThat(client.expectBinary()).containsExactly(7);
            client.sendText("bye");
            assertThat(client.expectClosed()).isEqualTo(new ClientEvent.Closed(1000, ""));
        }
    }

    @Test
    void receiveWithATimeoutGivesUpEmptyOrReturnsTheMessage() {
        try (TestServer server = serve(ws -> {
            Optional<Message> nothing = ws.receive(Duration.ofMillis(50));
            ws.send("first wait: " + nothing.isPresent());
            Optional<Message> something = ws.receive(Duration.ofSeconds(10));
            ws.send("second wait: "
                    + something.map(m -> ((Message.Text) m).text()).orElse("none"));
        })) {
            TestClient client = server.connect("/ws/fn");
            assertThat(client.expectText()).isEqualTo("first wait: false");
            client.sendText("hello");
            assertThat(client.expectText()).isEqualTo("second wait: hello");
            assertThat(client.expectClosed().code()).isEqualTo(1000);
        }
    }

    @Test
    void pollNeverWaitsAndPendingCountsWhatIsQueued() {
        try (TestServer server = serve(ws -> {
            ws.send("empty: " + ws.poll().isEmpty() + ", pending " + ws.pending());
            ws.receive(); // "go": the client sends three more right behind it
            while (ws.pending() < 3) {
                Thread.sleep(1); // handler code may sleep; the test itself waits on messages
            }
            ws.send("pending " + ws.pending());
            List<String> polled = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                polled.add(ws.poll().map(m -> ((Message.Text) m).text()).orElse("nothing"));
            }
            ws.send("polled " + polled + ", pending " + ws.pending());
        })) {
            TestClient client = server.connect("/ws/fn");
            assertThat(client.expectText()).isEqualTo("empty: true, pending 0");
            for (String text : List.of("go", "a", "b", "c")) {
                client.sendText(text);
            }
            assertThat(client.expectText()).isEqualTo("pending 3");
            assertThat(client.expectText()).isEqualTo("polled [a, b, c, nothing], pending 0");
            assertThat(client.expectClosed().code()).isEqualTo(1000);
        }
    }

    @Test
    void iterationYieldsEveryMessageUntilTheClientCloses() {
        try (TestServer server = serve(ws -> {
            int count = 0;
            for (Message message : ws) {
                ws.send(++count + ": " + ((Message.Text) message).text());
            }
            notes.record("iteration ended after " + count);
        })) {
            TestClient client = server.connect("/ws/fn");
            client.sendText("x");
            client.sendText("y");
            assertThat(client.expectText()).isEqualTo("1: x");
            assertThat(client.expectText()).isEqualTo("2: y");
            client.sendClose(1000, "done");
            assertThat(client.expectClosed().code()).isEqualTo(1000);
            assertThat(notes.next(Duration.ofSeconds(5))).isEqualTo("iteration ended after 2");
        }
    }

    @Test
    void receiveAfterTheClientLeftThrowsWithTheCloseStatus() {
        try (TestServer server = serve(ws -> {
            ws.send("ready");
            try {
                ws.receive();
                notes.record("got a message");
                ws.receive();
            } catch (SessionClosedException e) {
                notes.record("closed " + e.status().code() + " " + e.status().reason());
                notes.record("open " + ws.session().isOpen() + ", send " + ws.send("too late"));
            }
        })) {
            TestClient client = server.connect("/ws/fn");
            assertThat(client.expectText()).isEqualTo("ready");
            client.sendText("one");
            client.sendClose(4000, "leaving");
            assertThat(client.expectClosed().code()).isEqualTo(4000);
            assertThat(notes.next(Duration.ofSeconds(5))).isEqualTo("got a message");
            assertThat(notes.next(Duration.ofSeconds(5))).isEqualTo("closed 4000 leaving");
            assertThat(notes.next(Duration.ofSeconds(5))).isEqualTo("open false, send false");
        }
    }

    @Test
    void theFunctionClosesWithACodeOfItsChoosing() {
        try (TestServer server = serve(ws -> {
            ws.receive();
            ws.close(CloseStatus.of(4100, "enough"));
            notes.record("still running after close, send " + ws.send("after close"));
        })) {
            TestClient client = server.connect("/ws/fn");
            client.sendText("anything");
            assertThat(client.expectClosed()).isEqualTo(new ClientEvent.Closed(4100, "enough"));
            assertThat(notes.next(Duration.ofSeconds(5))).isEqualTo("still running after close, send false");
        }
    }

    @Test
    void anExceptionClosesWith1011AndIsLoggedOnce() {
        try (LogCapture log = LogCapture.start();
                TestServer server = serve(ws -> {
                    ws.receive();
                    throw new IllegalStateException("function failed");
                })) {
            TestClient client = server.connect("/ws/fn");
            client.sendText("go");
            assertThat(client.expectClosed().code()).isEqualTo(1011);
            assertThat(log.linesWith("blocking handler for", "failed; closing with 1011"))
                    .hasSize(1);
            assertThat(log.linesWith("IllegalStateException: function failed")).hasSize(1);
        }
    }

    @Test
    void theQueueIsBoundedAndLosesNothing() {
        int queue = 4;
        int sent = 50;
        Router router = Router.builder()
                .websocket(
                        "/ws/fn",
                        BlockingHandler.adapt(
                                ws -> {
                                    ws.receive(); // "start"
                                    while (ws.pending() < queue) {
                                        Thread.sleep(1);
                                    }
                                    // A window in which more keeps arriving: the queue must stay within its bound.
                                    Thread.sleep(100);
                                    ws.send("pending " + ws.pending());
                                    StringBuilder all = new StringBuilder();
                                    for (int i = 0; i < sent; i++) {
                                        all.append(((Message.Text) ws.receive()).text())
                                                .append(' ');
                                    }
                                    ws.send(all.toString().trim());
                                },
                                queue))
                .build();
        try (TestServer server = TestServer.start(router)) {
            TestClient client = server.connect("/ws/fn");
            client.sendText("start");
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < sent; i++) {
                client.sendText("m" + i);
                expected.append("m").append(i).append(' ');
            }
            assertThat(client.expectText()).isEqualTo("pending " + queue);
            assertThat(client.expectText()).isEqualTo(expected.toString().trim());
            assertThat(client.expectClosed().code()).isEqualTo(1000);
        }
    }

    @Test
    void theCountdownOfTheExamples() {
        try (TestServer server = serve(ws -> {
            ws.receive();
            for (int i = 0; i < 3; i++) {
                ws.send("service message: " + i);
                Thread.sleep(20);
            }
        })) {
            TestClient client = server.connect("/ws/fn");
            client.sendText("start");
            for (int i = 0; i < 3; i++) {
                assertThat(client.expectText()).isEqualTo("service message: " + i);
            }
            assertThat(client.expectClosed().code()).isEqualTo(1000);
        }
    }
}
