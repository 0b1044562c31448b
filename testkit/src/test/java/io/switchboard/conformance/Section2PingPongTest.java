/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.expectClose;
import static io.switchboard.conformance.Conformance.expectFrame;
import static io.switchboard.conformance.Conformance.utf8;

import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestServer;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Autobahn section 2: every ping is answered by a pong with the same payload, in order; a pong
 * nobody asked for is ignored; a ping over 125 bytes or in fragments is a protocol error (1002).
 */
class Section2PingPongTest {

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = Conformance.echoServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 10, 124, 125})
    void aPingIsAnsweredWithAPongCarryingTheSamePayload(int length) {
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) (i * 7); // binary, not text
        }
        try (RawClient raw = Conformance.open(server)) {
            raw.send(true, 0, RawClient.PING, payload);
            expectFrame(raw, RawClient.PONG, payload);
        }
    }

    @Test
    void aPingWrittenOneByteAtATimeIsAnswered() {
        try (RawClient raw = Conformance.open(server)) {
            byte[] frame = RawClient.encode(true, 0, RawClient.PING, utf8("chopped"), true);
            for (int i = 0; i < frame.length; i++) {
                raw.writeRaw(Arrays.copyOfRange(frame, i, i + 1));
            }
            expectFrame(raw, RawClient.PONG, utf8("chopped"));
        }
    }

    @Test
    void tenPingsInARowAreAnsweredInOrder() {
        try (RawClient raw = Conformance.open(server)) {
            for (int i = 0; i < 10; i++) {
                raw.send(true, 0, RawClient.PING, utf8("ping " + i));
            }
            for (int i = 0; i < 10; i++) {
                expectFrame(raw, RawClient.PONG, utf8("ping " + i));
            }
        }
    }

    @Test
    void unsolicitedPongsAreIgnored() {
        try (RawClient raw = Conformance.open(server)) {
            raw.send(true, 0, RawClient.PONG, new byte[0]);
            raw.send(true, 0, RawClient.PONG, utf8("unsolicited"));
            raw.send(true, 0, RawClient.PING, utf8("solicited"));
            expectFrame(raw, RawClient.PONG, utf8("solicited"));
            raw.sendText("after");
            expectFrame(raw, RawClient.TEXT, utf8("after"));
        }
    }

    @Test
    void aPingOver125BytesCloses1002() {
        try (RawClient raw = Conformance.open(server)) {
            raw.send(true, 0, RawClient.PING, new byte[126]);
            expectClose(server, raw, 1002);
        }
    }

    @Test
    void aFragmentedPingCloses1002() {
        try (RawClient raw = Conformance.open(server)) {
            raw.send(false, 0, RawClient.PING, utf8("frag"));
            raw.send(true, 0, RawClient.CONTINUATION, utf8("ment"));
            expectClose(server, raw, 1002);
        }
    }
}
