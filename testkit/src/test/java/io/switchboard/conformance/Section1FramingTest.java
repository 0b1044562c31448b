/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.expectFrame;
import static io.switchboard.conformance.Conformance.filled;

import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestServer;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Autobahn section 1: text and binary messages of every length encoding (7-bit, 16-bit, 64-bit),
 * from empty up to the default 64 KiB limit, written whole or a few bytes at a time; a client frame
 * must be masked (1002 otherwise).
 */
class Section1FramingTest {

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
    @ValueSource(ints = {0, 1, 125, 126, 127, 128, 65535, 65536})
    void textOfEveryLengthEchoes(int length) {
        try (RawClient raw = Conformance.open(server)) {
            byte[] text = filled(length, '*');
            raw.send(true, 0, RawClient.TEXT, text);
            expectFrame(raw, RawClient.TEXT, text);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 128, 65535, 65536})
    void binaryOfEveryLengthEchoes(int length) {
        try (RawClient raw = Conformance.open(server)) {
            byte[] data = filled(length, (char) 0xFE);
            raw.send(true, 0, RawClient.BINARY, data);
            expectFrame(raw, RawClient.BINARY, data);
        }
    }

    @ParameterizedTest
    @CsvSource({"2000, 1", "2000, 3", "65536, 997"})
    void aFrameWrittenInChopsEchoesWhole(int length, int chop) {
        try (RawClient raw = Conformance.open(server)) {
            byte[] text = filled(length, '*');
            byte[] frame = RawClient.encode(true, 0, RawClient.TEXT, text, true);
            for (int at = 0; at < frame.length; at += chop) {
                raw.writeRaw(Arrays.copyOfRange(frame, at, Math.min(frame.length, at + chop)));
            }
            expectFrame(raw, RawClient.TEXT, text);
        }
    }

    @Test
    void anUnmaskedClientFrameCloses1002() {
        try (RawClient raw = Conformance.open(server)) {
            raw.writeRaw(RawClient.encode(true, 0, RawClient.TEXT, filled(5, '*'), false));
            Conformance.expectClose(server, raw, 1002);
        }
    }
}
