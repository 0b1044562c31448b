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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Autobahn section 4: the reserved opcodes, data (3-7) and control (B-F), with or without payload,
 * are a protocol error (1002); a message before one is answered, a ping after it is not.
 */
class Section4OpcodesTest {

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
    @ValueSource(ints = {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void aReservedOpcodeCloses1002(int opcode) {
        try (RawClient raw = Conformance.open(server)) {
            raw.send(true, 0, opcode, new byte[0]);
            expectClose(server, raw, 1002);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0x3, 0x7, 0xB, 0xF})
    void aReservedOpcodeWithPayloadBetweenMessagesCloses1002AfterTheFirstEcho(int opcode) {
        try (RawClient raw = Conformance.open(server)) {
            raw.sendText("before");
            raw.send(true, 0, opcode, utf8("reserved"));
            raw.send(true, 0, RawClient.PING, utf8("after"));
            expectFrame(raw, RawClient.TEXT, utf8("before"));
            expectClose(server, raw, 1002);
        }
    }
}
