/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.engine.InMemoryEngine;
import io.switchboard.session.Address;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Execution;
import io.switchboard.session.Message;
import io.switchboard.session.Scope;
import io.switchboard.session.Session;
import io.switchboard.session.WebSocketHandler;
import io.switchboard.session.internal.ConnectionSession;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Callback dispatch on the test's thread (the handler runs "on the loop"), over the one session
 * implementation with a link that records what the session asks of the connection.
 */
class DispatcherTest {

    private final List<String> seen = new ArrayList<>();
    private final InMemoryEngine engine = new InMemoryEngine();
    private boolean open = true;

    private final ConnectionSession.Link link = new ConnectionSession.Link() {
        @Override
        public boolean write(Message message) {
            seen.add("sent " + ((Message.Text) message).text());
            return true;
        }

        @Override
        public void startClosing(CloseStatus status) {
            seen.add("close " + status.code());
            open = false;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public boolean isFinished() {
            return false;
        }

        @Override
        public void joined(String group) {}

        @Override
        public void left(String group) {}
    };

    private final ConnectionSession session = ConnectionSession.create(
                    Address.next("node1"), Scope.builder("/ws").build(), engine, link)
            .session();
    private final InboundFlow flow = new InboundFlow(1000, on -> seen.add(on ? "read" : "pause"), Runnable::run);

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    private Dispatcher dispatcher(WebSocketHandler handler) {
        return new Dispatcher(handler, session, flow, null, Runnable::run, () -> true, () -> seen.add("ended"));
    }

    /** Echoes text, fails on "boom", records the rest. */
    private class Echo implements WebSocketHandler {
        @Override
        public void onText(Session s, String text) {
            if (text.equals("boom")) {
                throw new IllegalStateException("boom");
            }
            s.send(text);
        }

        @Override
        public void onDisconnect(Session s, CloseStatus status) {
            seen.add("disconnect " + status.code());
        }

        @Override
        public Execution execution() {
            return Execution.EVENT_LOOP;
        }
    }

    @Test
    void nothingRunsBeforeStartThenEverythingInOrder() {
        Dispatcher dispatcher = dispatcher(new Echo());
        dispatcher.text("a", 1);
        dispatcher.afterQueued(() -> seen.add("barrier"));
        dispatcher.text("b", 1);
        assertThat(seen).isEmpty();
        dispatcher.start();
        assertThat(seen).containsExactly("sent a", "barrier", "sent b");
    }

    @Test
    void aCallbackThatThrowsClosesWith1011AndLaterMessagesAreSkippedButDisconnectRuns() {
        Dispatcher dispatcher = dispatcher(new Echo());
        dispatcher.start();
        dispatcher.text("boom", 4);
        dispatcher.text("after", 5);
        dispatcher.disconnect(CloseStatus.INTERNAL_ERROR);
        assertThat(seen).containsExactly("close 1011", "disconnect 1011", "ended");
        assertThat(session.send("late")).isFalse(); // closed from the moment close returned
    }

    @Test
    void anOnErrorThatKeepsTheSessionOpenKeepsMessagesComing() {
        Dispatcher dispatcher = dispatcher(new Echo() {
            @Override
            public void onError(Session s, Throwable error) {
                seen.add("error " + error.getMessage());
            }
        });
        dispatcher.start();
        dispatcher.text("boom", 4);
        dispatcher.text("after", 5);
        assertThat(seen).containsExactly("error boom", "sent after");
    }

    @Test
    void anOnErrorThatThrowsClosesWith1011() {
        Dispatcher dispatcher = dispatcher(new Echo() {
            @Override
            public void onError(Session s, Throwable error) {
                throw new IllegalStateException("again");
            }
        });
        dispatcher.start();
        dispatcher.text("boom", 4);
        assertThat(seen).containsExactly("close 1011");
    }

    @Test
    void whatTheHandlerTakesIsCountedOffTheBacklog() {
        Dispatcher dispatcher = dispatcher(new Echo());
        dispatcher.text("x".repeat(1001), 1001);
        assertThat(seen).containsExactly("pause");
        dispatcher.start();
        assertThat(seen).containsExactly("pause", "read", "sent " + "x".repeat(1001));
    }

    @Test
    void onOpenRunsFirstOnceOpenAheadOfWhatCameBefore() {
        Dispatcher dispatcher = dispatcher(new Echo() {
            @Override
            public void onOpen(Session s) {
                seen.add("open");
            }
        });
        dispatcher.text("early", 5);
        dispatcher.open();
        assertThat(seen).containsExactly("open", "sent early");
    }

    @Test
    void onOpenDoesNotRunWhenTheSessionClosedFirst() {
        Dispatcher dispatcher = dispatcher(new Echo() {
            @Override
            public void onOpen(Session s) {
                seen.add("open");
            }
        });
        session.close(CloseStatus.NORMAL);
        dispatcher.disconnect(CloseStatus.NORMAL);
        dispatcher.open();
        assertThat(seen).containsExactly("close 1000", "disconnect 1000", "ended");
    }

    @Test
    void whenOnOpenIsSkippedNoMessageReachesTheHandlerButOnDisconnectDoes() {
        Dispatcher dispatcher = dispatcher(new Echo() {
            @Override
            public void onOpen(Session s) {
                seen.add("open");
            }

            @Override
            public void onText(Session s, String text) {
                seen.add("text " + text);
            }
        });
        dispatcher.text("early", 5); // arrived with the upgrade request
        session.close(CloseStatus.NORMAL); // and the connection closed before the handler ran
        dispatcher.disconnect(CloseStatus.NORMAL);
        dispatcher.open();
        assertThat(seen).containsExactly("close 1000", "disconnect 1000", "ended");
    }
}
