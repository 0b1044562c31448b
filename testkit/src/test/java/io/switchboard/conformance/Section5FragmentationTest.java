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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Autobahn section 5: fragmented messages are joined, pings between fragments are answered at once;
 * control frames may not be fragmented, a continuation needs a message to continue, and a new data
 * message may not start inside another (all 1002).
 */
class Section5FragmentationTest {

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
    @ValueSource(ints = {RawClient.PING, RawClient.PONG, RawClient.CLOSE})
    void aFragmentedControlFrameCloses1002(int opcode) {
        try (RawClient raw = Conformance.open(server)) {
            raw.send(false, 0, opcode, opcode == RawClient.CLOSE ? new byte[] {0x03, (byte) 0xE8} : utf8("frag"));
            raw.send(true, 0, RawClient.CONTINUATION, utf8("ment"));
            expectClose(server, raw, 1002);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {RawClient.TEXT, RawClient.BINARY})
    void fragmentsAreJoinedIntoOneMessage(int opcode) {
        try (RawClient raw = Conformance.open(server)) {
            raw.send(false, 0, opcode, utf8("frag"));
            raw.send(false, 0, RawClient.CONTINUATION, new byte[0]);
            raw.send(true, 0, RawClient.CONTINUATION, utf8("ment"));
            expectFrame(raw, opcode, utf8("fragment"));
            raw.send(false, 0, opcode, new byte[0]);
            raw.send(true, 0, RawClient.CONTINUATION, new byte[0]);
            expectFrame(raw, opcode, new byte[0]);
        }
    }

    @Test
    void pingsBetweenFragmentsAreAnsweredBeforeTheMessageCompletes() {
        try (RawClient raw = Conformance.open(server)) {
            raw.send(false, 0, RawClient.TEXT, utf8("one "));
            raw.send(true, 0, RawClient.PING, utf8("first"));
            expectFrame(raw, RawClient.PONG, utf8("first")); // answered while the message is open
            raw.send(false, 0, RawClient.CONTINUATION, utf8("two "));
            raw.send(true, 0, RawClient.PING, utf8("second"));
            raw.send(true, 0, RawClient.PONG, utf8("unsolicited"));
            raw.send(true, 0, RawClient.CONTINUATION, utf8("three"));
            expectFrame(raw, RawClient.PONG, utf8("second"));
            expectFrame(raw, RawClient.TEXT, utf8("one two three"));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aContinuationWithNothingToContinueCloses1002(boolean fin) {
        try (RawClient raw = Conformance.open(server)) {
            raw.send(fin, 0, RawClient.CONTINUATION, utf8("orphan"));
            raw.send(true, 0, RawClient.TEXT, utf8("never echoed"));
            expectClose(server, raw, 1002);
        }
        try (RawClient raw = Conformance.open(server)) {
            raw.sendText("whole");
            raw.send(fin, 0, RawClient.CONTINUATION, utf8("after a whole message"));
            expectFrame(raw, RawClient.TEXT, utf8("whole"));
            expectClose(server, raw, 1002);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {RawClient.TEXT, RawClient.BINARY})
    void aDataFrameInsideAFragmentedMessageCloses1002(int interloper) {
        for (boolean fin : new boolean[] {true, false}) {
            try (RawClient raw = Conformance.open(server)) {
                raw.send(false, 0, RawClient.TEXT, utf8("started"));
                raw.send(fin, 0, interloper, utf8("interleaved"));
                raw.send(true, 0, RawClient.CONTINUATION, utf8("ended"));
                expectClose(server, raw, 1002);
            }
        }
    }
}
