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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Autobahn section 3: with no extension negotiated, any reserved bit on any frame is a protocol
 * error (1002), and nothing sent after it is answered. (With permessage-deflate, see section 12.)
 */
class Section3ReservedBitsTest {

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = Conformance.echoServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static List<Arguments> bitsAndOpcodes() {
        List<Arguments> cases = new ArrayList<>();
        for (int rsv = 1; rsv <= 7; rsv++) {
            for (int opcode : new int[] {RawClient.TEXT, RawClient.BINARY, RawClient.PING, RawClient.CLOSE}) {
                cases.add(Arguments.of(rsv, opcode));
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "RSV {0} on opcode {1}")
    @MethodSource("bitsAndOpcodes")
    void anyReservedBitOnAnyFrameCloses1002(int rsv, int opcode) {
        try (RawClient raw = Conformance.open(server)) {
            raw.send(true, rsv, opcode, opcode == RawClient.CLOSE ? new byte[] {0x03, (byte) 0xE8} : utf8("hi"));
            expectClose(server, raw, 1002);
        }
    }

    @Test
    void whatCameBeforeIsAnsweredAndWhatCameAfterIsNot() {
        try (RawClient raw = Conformance.open(server)) {
            raw.sendText("before");
            raw.send(true, 2, RawClient.TEXT, utf8("reserved"));
            raw.send(true, 0, RawClient.PING, utf8("after"));
            expectFrame(raw, RawClient.TEXT, utf8("before"));
            expectClose(server, raw, 1002); // no pong first
        }
    }
}
