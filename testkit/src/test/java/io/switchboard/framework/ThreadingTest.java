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
import io.switchboard.session.WebSocketHandler;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.Recorder;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Where callbacks run: one connection's callbacks never overlap and keep arrival order, on virtual
 * threads by default (so they may block) or on the event loop when asked; no platform thread per
 * connection.
 */
class ThreadingTest {

    private static final int MESSAGES = 40;

    /**
     * Joins the group named by the path, then echoes messages and events, saying on which kind of
     * thread; sleeps a little in each text callback when on a virtual thread, and notes any overlap.
     */
    private static final class Ordered implements WebSocketHandler {
        private final AtomicInteger inside = new AtomicInteger();
        private final Execution execution;
        private final Recorder<String> faults;

        Ordered(Execution execution, Recorder<String> faults) {
            this.execution = execution;
            this.faults = faults;
        }

        @Override
        public Decision onConnect(Session session) {
            session.join(session.scope().pathParam("room"))
                    .toCompletableFuture()
                    .join();
            session.send("joined");
            return Decision.accept();
        }

        @Override
        public void onText(Session session, String text) throws InterruptedException {
            enter();
            try {
                if (execution == Execution.VIRTUAL_THREAD) {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(3)); // blocking is allowed here
                }
                session.send(text + " on " + kindOfThread());
            } finally {
                inside.decrementAndGet();
            }
        }

        @Override
        public void onEvent(Session session, Event event) {
            enter();
            try {
                session.send(event.type() + " on " + kindOfThread());
            } finally {
                inside.decrementAndGet();
            }
        }

        private void enter() {
            if (inside.incrementAndGet() != 1) {
                faults.record("two callbacks of one connection overlapped");
            }
        }

        @Override
        public Execution execution() {
            return execution;
        }
    }

    private static String kindOfThread() {
        Thread thread = Thread.currentThread();
        if (thread.isVirtual()) {
            return "virtual";
        }
        return thread.getName().startsWith("switchboard-io") ? "event-loop" : "other " + thread.getName();
    }

    @Test
    void byDefaultCallbacksRunOnVirtualThreadsOneAtATimeInArrivalOrder() {
        callbacksNeverOverlapAndKeepOrder(Execution.VIRTUAL_THREAD, "virtual");
    }

    @Test
    void onTheEventLoopCallbacksRunOnTheConnectionsNetworkThreadInArrivalOrder() {
        callbacksNeverOverlapAndKeepOrder(Execution.EVENT_LOOP, "event-loop");
    }

    private void callbacksNeverOverlapAndKeepOrder(Execution execution, String expectedThread) {
        Recorder<String> faults = new Recorder<>("faults");
        Router router = Router.builder()
                .websocket("/ws/{room}", () -> new Ordered(execution, faults))
                .build();
        try (TestServer server = TestServer.start(router)) {
            TestClient client = server.connect("/ws/threads");
            assertThat(client.expectText()).isEqualTo("joined");
            for (int i = 0; i < MESSAGES; i++) {
                client.sendText("m" + i);
                if (i % 10 == 0) {
                    server.server().hub().event("threads", new Event("tick", "{}"));
                }
            }
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < MESSAGES + MESSAGES / 10; i++) {
                texts.add(client.expectText());
            }
            List<String> messages =
                    texts.stream().filter(text -> text.startsWith("m")).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                expected.add("m" + i + " on " + expectedThread);
            }
            assertThat(messages).containsExactlyElementsOf(expected);
            assertThat(texts).filteredOn(text -> text.startsWith("tick")).containsOnly("tick on " + expectedThread);
            faults.assertEmpty();
        }
    }

    @Test
    void aHandlerBlockedInACallbackStallsNeitherItsNetworkThreadNorOtherConnections() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Router router = Router.builder()
                .websocket(
                        "/ws/blocker",
                        Handlers.of(ws -> ws.onText((session, text) -> {
                            entered.countDown();
                            release.await(10, TimeUnit.SECONDS);
                            session.send("released " + text);
                        })))
                .websocket("/ws/echo", Handlers.of(ws -> ws.onText(Session::send)))
                .websocket(
                        "/ws/loop", Handlers.of(ws -> ws.onText(Session::send).execution(Execution.EVENT_LOOP)))
                .build();
        // One network thread: every connection shares it, so a blocked loop would stall them all.
        try (TestServer server = TestServer.start(b -> b.router(router).ioThreads(1))) {
            TestClient blocker = server.connect("/ws/blocker");
            TestClient echo = server.connect("/ws/echo");
            TestClient loop = server.connect("/ws/loop");
            blocker.sendText("first");
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            blocker.sendText("second"); // queued behind the blocked callback
            echo.sendText("still served");
            loop.sendText("also served");
            assertThat(echo.expectText()).isEqualTo("still served");
            assertThat(loop.expectText()).isEqualTo("also served");
            assertThat(server.get("/nowhere").statusCode()).isEqualTo(404);
            release.countDown();
            assertThat(blocker.expectText()).isEqualTo("released first");
            assertThat(blocker.expectText()).isEqualTo("released second");
        }
    }

    @Test
    void connectionsBlockedInCallbacksHoldNoPlatformThreadEach() throws Exception {
        int connections = 200;
        CountDownLatch release = new CountDownLatch(1);
        Semaphore blocked = new Semaphore(0);
        Router router = Router.builder()
                .websocket(
                        "/ws/wait",
                        Handlers.of(ws -> ws.onText((session, text) -> {
                            blocked.release();
                            release.await(30, TimeUnit.SECONDS);
                            session.send("done " + text);
                        })))
                .build();
        var threads = ManagementFactory.getThreadMXBean(); // counts live platform threads only
        List<RawClient> clients = new ArrayList<>();
        try (TestServer server = TestServer.start(b -> b.router(router).ioThreads(2))) {
            // Warm up: start both network threads and the virtual thread scheduler's carriers.
            clients.addAll(openAndBlock(server, 20, blocked));
            int before = threads.getThreadCount();

            clients.addAll(openAndBlock(server, connections, blocked));
            int during = threads.getThreadCount();
            assertThat(server.server().openSessions()).isEqualTo(20 + connections);
            assertThat(during - before)
                    .as("platform threads added while %d more connections each block in a callback", connections)
                    .isLessThan(10);

            release.countDown();
            for (RawClient client : clients) {
                assertThat(client.readFrame().text()).startsWith("done ");
                client.close(); // before the server's close, which would wait for answers to its 1001
            }
        } finally {
            release.countDown();
            clients.forEach(RawClient::close);
        }
    }

    /** Opens {@code count} connections and waits until each one's handler is blocked in a callback. */
    private static List<RawClient> openAndBlock(TestServer server, int count, Semaphore blocked)
            throws InterruptedException {
        List<RawClient> opened = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RawClient client = server.raw();
            opened.add(client);
            assertThat(client.upgrade("/ws/wait").status()).isEqualTo(101);
            client.sendText("c" + i);
        }
        assertThat(blocked.tryAcquire(count, 10, TimeUnit.SECONDS))
                .as("every handler is inside its callback")
                .isTrue();
        return opened;
    }
}
