/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.metrics.Exposition;
import io.switchboard.session.Hub;
import io.switchboard.session.Message;
import io.switchboard.stats.ServerStats;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestClient;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} on a started {@code serve}, after traffic the test scripts: every family named
 * in OPERATIONS.md is there, of its type, and counts what happened (read from the parsed text, by name
 * and label).
 */
class ServeMetricsTest {

    private static final String ECHO = "/ws/echo";

    @Test
    void echoTrafficIsCountedUnderItsNames() throws Exception {
        try (Running node = MetricsScrapes.serve()) {
            Exposition before = MetricsScrapes.scrape(node);
            assertThat(before.value("switchboard_connections")).isZero();
            assertThat(before.samples("switchboard_connections_closed_total")).isEmpty();

            TestClient ann = connect(node, ECHO);
            TestClient bob = connect(node, ECHO);
            ann.sendText("hello");
            assertThat(ann.expectText()).isEqualTo("hello");
            bob.sendBinary(new byte[] {1, 2, 3});
            assertThat(bob.expectBinary()).hasSize(3);

            Exposition open = MetricsScrapes.scrape(node);
            assertThat(open.value("switchboard_connections")).isEqualTo(2);
            assertThat(open.value("switchboard_connections_opened_total")).isEqualTo(2);
            assertThat(open.value("switchboard_messages_received_total")).isEqualTo(2);
            assertThat(open.value("switchboard_received_bytes_total")).isEqualTo(8);
            assertThat(open.value("switchboard_messages_sent_total")).isEqualTo(2);
            assertThat(open.value("switchboard_sent_bytes_total")).isEqualTo(8);

            ann.sendClose(1000, "bye");
            ann.expectClosed();
            bob.sendClose(4321, "a code the client made up");
            bob.expectClosed();
            // A close code's counter is registered by the scrape after the first close with it: wait for both.
            Exposition closed = MetricsScrapes.until(
                    node,
                    e -> e.value("switchboard_connections") == 0
                            && e.sum("switchboard_connections_closed_total", Map.of()) == 2);
            assertThat(closed.value("switchboard_connections_closed_total", Map.of("code", "1000")))
                    .isEqualTo(1);
            assertThat(closed.value("switchboard_connections_closed_total", Map.of("code", "0")))
                    .as("a client's own code is counted as other")
                    .isEqualTo(1);
            MetricsScrapes.assertMatches(closed, node.server().stats());
        }
    }

    @Test
    void refusedHandshakesAreCountedByReason() throws Exception {
        try (Running node = MetricsScrapes.serve("--max-connections-per-address", "1")) {
            URI base = URI.create("ws://127.0.0.1:" + node.server().port());
            assertThat(TestClient.refusedStatus(base.resolve("/ws/chat/lobby")))
                    .as("no user")
                    .isEqualTo(400);
            assertThat(TestClient.refusedStatus(base.resolve(ECHO), Map.of("Origin", "http://evil.example")))
                    .isEqualTo(403);
            try (RawClient raw = RawClient.connect("127.0.0.1", node.server().port())) {
                assertThat(raw.upgrade(ECHO, Map.of("Sec-WebSocket-Version", "7"))
                                .status())
                        .isEqualTo(426);
            }
            try (TestClient only = connect(node, ECHO)) {
                assertThat(TestClient.refusedStatus(base.resolve(ECHO))).isEqualTo(429);
            }

            Exposition scraped = MetricsScrapes.scrape(node);
            assertThat(scraped.type("switchboard_handshakes_refused_total")).contains("counter");
            for (String reason : new String[] {"auth", "origin", "bad_request", "limits"}) {
                assertThat(scraped.value("switchboard_handshakes_refused_total", Map.of("reason", reason)))
                        .as(reason)
                        .isEqualTo(1);
            }
            assertThat(scraped.value("switchboard_handshakes_refused_total", Map.of("reason", "draining")))
                    .isZero();
        }
    }

    @Test
    void aChatMessageIsOneDeliveryPerMemberAndTheRoomIsKept() throws Exception {
        try (Running node = MetricsScrapes.serve()) {
            ChatClient ann = new ChatClient(connect(node, "/ws/chat/lobby?user=ann"), "ann");
            ann.welcome();
            ChatClient bob = new ChatClient(connect(node, "/ws/chat/lobby?user=bob"), "bob");
            bob.welcome();
            ann.next("join");
            Exposition before = MetricsScrapes.scrape(node);

            String said = "{\"message\":\"hi\"}";
            ann.socket.sendText(said);
            String toAnn = ann.socket.expectText();
            String toBob = bob.socket.expectText();

            Exposition after = MetricsScrapes.scrape(node);
            assertThat(delta(before, after, "switchboard_deliveries_total")).isEqualTo(2);
            assertThat(delta(before, after, "switchboard_messages_received_total"))
                    .isEqualTo(1);
            assertThat(delta(before, after, "switchboard_received_bytes_total")).isEqualTo(said.length());
            assertThat(delta(before, after, "switchboard_messages_sent_total")).isEqualTo(2);
            assertThat(delta(before, after, "switchboard_sent_bytes_total")).isEqualTo(toAnn.length() + toBob.length());
            assertThat(after.value("switchboard_groups"))
                    .as("the lobby, user:ann, user:bob")
                    .isEqualTo(3);
            assertThat(after.value("switchboard_history_kept"))
                    .as("the lobby's stream")
                    .isGreaterThanOrEqualTo(1);
            assertThat(after.value("switchboard_history_memory_bytes")).isPositive();
            MetricsScrapes.assertMatches(after, node.server().stats());
        }
    }

    @Test
    void aClientOverTheRateLimitIsCountedAndClosed() throws Exception {
        try (Running node = MetricsScrapes.serve("--rate-limit", "1", "--rate-burst", "1")) {
            TestClient fast = connect(node, ECHO);
            for (int i = 0; i < 10; i++) {
                fast.sendText("m" + i);
            }
            assertThat(fast.expectText()).isEqualTo("m0");
            // The close may come after a second echo if a token came back meanwhile.
            while (!(fast.nextEvent() instanceof io.switchboard.testkit.ClientEvent.Closed closed)) {
                // skip echoes
            }
            // A close code's counter is registered by the scrape after the first close with it: wait for it.
            Exposition scraped = MetricsScrapes.until(
                    node,
                    e -> e.value("switchboard_connections") == 0
                            && e.sum("switchboard_connections_closed_total", Map.of()) == 1);
            assertThat(scraped.value("switchboard_rate_limited_total")).isEqualTo(1);
            assertThat(scraped.value("switchboard_connections_closed_total", Map.of("code", "1008")))
                    .isEqualTo(1);
        }
    }

    @Test
    void aReaderThatStopsIsConflatedThenClosed() throws Exception {
        try (Running node = MetricsScrapes.serve("--outbound-buffer", "64KiB");
                RawClient sleepy = RawClient.connect("127.0.0.1", node.server().port())) {
            assertThat(sleepy.upgrade("/ws/chat/lobby?user=sleepy").status()).isEqualTo(101);
            Hub hub = node.server().hub();
            Message big = Message.text("x".repeat(60 * 1024));

            // Once the socket's buffers are full, each newer value of one key replaces the one held.
            Exposition conflated = sendUntil(
                    node,
                    () -> hub.broadcastLatest("user:sleepy", "price", big),
                    e -> e.value("switchboard_slow_consumer_drops_total") >= 1);
            assertThat(conflated.value("switchboard_slow_consumer_closes_total"))
                    .isZero();

            // Unkeyed messages pile up past the outbound buffer: the reader is closed.
            Exposition closed = sendUntil(
                    node,
                    () -> hub.broadcast("user:sleepy", big),
                    e -> e.value("switchboard_slow_consumer_closes_total") == 1);
            assertThat(closed.value("switchboard_deliveries_total")).isPositive();
            MetricsScrapes.until(node, e -> e.value("switchboard_connections") == 0);
        }
    }

    /** Sends in rounds of 20, scraping after each, until {@code done}; fails after 500 rounds. */
    private static Exposition sendUntil(Running node, Runnable send, Predicate<Exposition> done) throws Exception {
        for (int round = 0; round < 500; round++) {
            for (int i = 0; i < 20; i++) {
                send.run();
            }
            Exposition scraped = MetricsScrapes.scrape(node);
            if (done.test(scraped)) {
                return scraped;
            }
        }
        throw new AssertionError("10,000 sends and still not there");
    }

    @Test
    void onlyGetAndHeadAreAnswered() throws Exception {
        try (Running node = MetricsScrapes.serve()) {
            HttpResponse<String> get = MetricsScrapes.request(node, "GET");
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
            assertThat(MetricsScrapes.request(node, "HEAD").statusCode()).isEqualTo(200);
            HttpResponse<String> post = MetricsScrapes.request(node, "POST");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
        }
    }

    @Test
    void withoutMetricsNothingIsCountedOrServed() throws Exception {
        try (Running node = MetricsScrapes.serve("--no-metrics")) {
            assertThat(MetricsScrapes.request(node, "GET").statusCode()).isEqualTo(404);
            TestClient ann = connect(node, ECHO);
            ann.sendText("hello");
            ann.expectText();
            ServerStats stats = node.server().stats();
            assertThat(stats.enabled()).isFalse();
            assertThat(stats.messagesIn()).isZero();
            ann.close();
        }
    }

    @Test
    void theRuntimeBindersAreThere() throws Exception {
        try (Running node = MetricsScrapes.serve()) {
            Exposition scraped = MetricsScrapes.scrape(node);
            assertThat(scraped.sum("jvm_memory_used_bytes", Map.of("area", "heap")))
                    .isPositive();
            assertThat(scraped.type("jvm_gc_memory_allocated_bytes_total")).contains("counter");
            assertThat(scraped.value("jvm_threads_live_threads")).isPositive();
            assertThat(scraped.value("jvm_classes_loaded_classes")).isPositive();
            assertThat(scraped.value("system_cpu_count")).isPositive();
            assertThat(scraped.value("process_uptime_seconds")).isPositive();
            assertThat(scraped.samples("netty_allocator_memory_used")).isNotEmpty();
            assertThat(scraped.value("switchboard_engine_up"))
                    .as("no shared store: up")
                    .isEqualTo(1);
        }
    }

    private static TestClient connect(Running node, String path) {
        return TestClient.connect(URI.create("ws://127.0.0.1:" + node.server().port() + path));
    }

    private static double delta(Exposition before, Exposition after, String name) {
        return after.value(name) - before.value(name);
    }
}
