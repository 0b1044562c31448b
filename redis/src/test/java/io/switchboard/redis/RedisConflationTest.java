/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.routing.Router;
import io.switchboard.routing.WebSocketOptions;
import io.switchboard.session.Handlers;
import io.switchboard.session.Message;
import io.switchboard.session.Session;
import io.switchboard.settings.Limits;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.Recorder;
import io.switchboard.testkit.RedisServer;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Latest-value conflation across two nodes on Redis: values broadcast on one node reach a client of
 * the other that does not read as the newest of each key (the key crossed in the envelope), with the
 * count it missed, while a client beside it that reads gets every value in order.
 */
class RedisConflationTest {

    private static final int KEYS = 10;
    private static final int ROUNDS = 2000;
    private static final String PADDING = "p".repeat(1500); // 30 MB in all
    private static final Pattern VALUE = Pattern.compile("k(\\d+) (\\d+) p+(?: skipped=(\\d+))?");

    private final Recorder<Session> opened = new Recorder<>("opened");

    private TestServer node(RedisSettings settings) {
        Router router = Router.builder()
                .websocket(
                        "/ws/ticker",
                        Handlers.of(ws -> ws.onOpen(session -> {
                            session.join("ticker");
                            opened.record(session);
                        })),
                        WebSocketOptions.DEFAULTS.withConflatedText((text, skipped) -> text + " skipped=" + skipped))
                .build();
        Limits limits = Limits.defaults()
                .withBuffers(b -> b.withOutboundBufferBytes(64 * 1024))
                .withTimeouts(t -> t.withPingInterval(Duration.ofMinutes(10)));
        return TestServer.start(b -> b.router(router).limits(limits).engine(RedisEngine.connect(settings)));
    }

    @Test
    void theKeyCrossesNodesAndABackedUpClientGetsTheNewestOfEachKey() {
        try (RedisServer redis = RedisServer.start()) {
            RedisSettings settings = RedisSettings.of(redis.uri()).withPrefix("conflation:");
            try (TestServer sender = node(settings);
                    TestServer receiver = node(settings);
                    RawClient slow = receiver.raw();
                    TestClient fast = receiver.connect("/ws/ticker")) {
                opened.next(Recorder.DEFAULT_TIMEOUT);
                assertThat(slow.upgrade("/ws/ticker").status()).isEqualTo(101);
                Session slowSession = opened.next(Recorder.DEFAULT_TIMEOUT);

                for (int round = 0; round < ROUNDS; round++) {
                    for (int key = 0; key < KEYS; key++) {
                        sender.server().hub().broadcastLatest("ticker", "k" + key, Message.text(value(key, round)));
                    }
                    for (int key = 0; key < KEYS; key++) {
                        assertThat(fast.expectText()).isEqualTo(value(key, round));
                    }
                }
                assertThat(slowSession.isOpen()).isTrue();
                assertThat(slowSession.conflated()).isPositive();
                readNewestOfEachKey(slow, slowSession);
            }
        }
    }

    /** Reads until the last round of every key came, each key in order, and accounts for every value. */
    private static void readNewestOfEachKey(RawClient slow, Session slowSession) {
        Map<Integer, Integer> newest = new HashMap<>();
        int received = 0;
        int rendered = 0;
        while (newest.size() < KEYS || newest.values().stream().anyMatch(round -> round < ROUNDS - 1)) {
            Matcher value = VALUE.matcher(slow.readFrame().text());
            assertThat(value.matches()).isTrue();
            int round = Integer.parseInt(value.group(2));
            Integer before = newest.put(Integer.parseInt(value.group(1)), round);
            assertThat(round).isGreaterThan(before == null ? -1 : before);
            rendered += value.group(3) == null ? 0 : 1;
            received++;
        }
        assertThat(rendered).isBetween(1, KEYS);
        assertThat(received + slowSession.conflated()).isEqualTo((long) KEYS * ROUNDS);
    }

    private static String value(int key, int round) {
        return "k" + key + " " + round + " " + PADDING;
    }
}
