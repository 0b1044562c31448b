/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.routing.Router;
import io.switchboard.routing.WebSocketOptions;
import io.switchboard.session.Handlers;
import io.switchboard.session.Message;
import io.switchboard.session.Session;
import io.switchboard.settings.Limits;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.Recorder;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * Latest-value conflation on real sockets: one client reads, one does not, while ten keys get
 * thousands of values each. The reader gets every value in order; the other keeps its connection,
 * the server holding at most one value per key for it, and once it reads it gets the newest value of
 * each key with the count of those it missed.
 */
class ConflationTest {

    private static final int KEYS = 10;
    private static final int ROUNDS = 2000;
    private static final Pattern VALUE = Pattern.compile("k(\\d+) (\\d+) [a-z]+(?: skipped=(\\d+))?");

    private final Recorder<Session> opened = new Recorder<>("opened");

    private Router router() {
        WebSocketOptions tagged =
                WebSocketOptions.DEFAULTS.withConflatedText((text, skipped) -> text + " skipped=" + skipped);
        return Router.builder()
                .websocket(
                        "/ws/ticker",
                        Handlers.of(ws -> ws.onOpen(session -> {
                            session.join("ticker");
                            opened.record(session);
                        })),
                        tagged)
                .build();
    }

    private TestServer serve(Limits limits) {
        return TestServer.start(b -> b.router(router()).limits(limits));
    }

    private static Limits limits() {
        return Limits.defaults()
                .withBuffers(b -> b.withOutboundBufferBytes(64 * 1024))
                .withTimeouts(t -> t.withPingInterval(Duration.ofMinutes(10))); // the non-reader never answers
    }

    @Test
    void aReaderGetsEveryValueAndABackedUpClientTheNewestOfEachKeyWithTheCountItMissed() {
        readerAndNonReader(Map.of(), false);
    }

    /** Broadcasts are compressed once for all; the held values, each for this client alone. */
    @Test
    void theSameWhenTheNonReaderCompresses() {
        readerAndNonReader(Map.of("Sec-WebSocket-Extensions", "permessage-deflate"), true);
    }

    private void readerAndNonReader(Map<String, String> slowHeaders, boolean compressed) {
        try (TestServer server = serve(limits());
                RawClient slow = server.raw();
                TestClient fast = server.connect("/ws/ticker")) {
            Session fastSession = opened.next(Recorder.DEFAULT_TIMEOUT);
            assertThat(slow.upgrade("/ws/ticker", slowHeaders).status()).isEqualTo(101);
            Session slowSession = opened.next(Recorder.DEFAULT_TIMEOUT);

            for (int round = 0; round < ROUNDS; round++) {
                for (int key = 0; key < KEYS; key++) {
                    server.server().hub().broadcastLatest("ticker", "k" + key, Message.text(value(key, round)));
                }
                for (int key = 0; key < KEYS; key++) { // paced by the reader: it never backs up
                    assertThat(fast.expectText()).isEqualTo(value(key, round));
                }
            }
            assertThat(fastSession.conflated()).isZero();
            assertThat(slowSession.conflated())
                    .as("the non-reader was backed up")
                    .isPositive();
            assertThat(slowSession.isOpen())
                    .as("within the key cap: not closed")
                    .isTrue();

            Map<Integer, Integer> newest = new HashMap<>();
            int received = 0;
            int rendered = 0;
            long skipped = 0;
            while (newest.size() < KEYS || newest.values().stream().anyMatch(round -> round < ROUNDS - 1)) {
                RawClient.Frame frame = slow.readFrame();
                assertThat(frame.opcode()).isEqualTo(RawClient.TEXT);
                assertThat((frame.rsv() & 4) != 0).as("compressed").isEqualTo(compressed);
                String text = text(frame);
                Matcher value = VALUE.matcher(text);
                assertThat(value.matches()).as(text).isTrue();
                int key = Integer.parseInt(value.group(1));
                int round = Integer.parseInt(value.group(2));
                Integer before = newest.put(key, round);
                assertThat(round).as("key %d never goes back", key).isGreaterThan(before == null ? -1 : before);
                if (value.group(3) != null) {
                    rendered++;
                    skipped += Integer.parseInt(value.group(3));
                    assertThat(Integer.parseInt(value.group(3))).isEqualTo(round - (before == null ? -1 : before) - 1);
                }
                received++;
            }
            assertThat(rendered).as("at most one held value per key").isBetween(1, KEYS);
            assertThat(skipped).isEqualTo(slowSession.conflated());
            assertThat(received + slowSession.conflated())
                    .as("every value reached the client or was replaced by a newer one")
                    .isEqualTo((long) KEYS * ROUNDS);
            fast.assertNoUnreadEvents();
        }
    }

    /**
     * A value of a kilobyte, of letters that compress to about 60%: 20 MB in all, or 12 MB
     * compressed, far more than the kernel's buffers hold.
     */
    private static String value(int key, int round) {
        Random letters = new Random(key * (long) ROUNDS + round);
        StringBuilder value = new StringBuilder("k" + key + " " + round + " ");
        for (int i = 0; i < 1000; i++) {
            value.append((char) ('a' + letters.nextInt(26)));
        }
        return value.toString();
    }

    /** A text frame's text, inflated when compressed (RSV1): the server never takes context over. */
    private static String text(RawClient.Frame frame) {
        if ((frame.rsv() & 4) == 0) {
            return frame.text();
        }
        Inflater inflater = new Inflater(true);
        try {
            byte[] payload = frame.payload();
            byte[] input = Arrays.copyOf(payload, payload.length + 4); // the tail a sender strips: 00 00 FF FF
            input[payload.length + 2] = (byte) 0xFF;
            input[payload.length + 3] = (byte) 0xFF;
            inflater.setInput(input);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[4096];
            for (int n; (n = inflater.inflate(chunk)) > 0; ) {
                out.write(chunk, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (DataFormatException e) {
            throw new AssertionError("the server sent invalid DEFLATE data", e);
        } finally {
            inflater.end();
        }
    }
}
