/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.expectFrame;
import static io.switchboard.conformance.Conformance.utf8;

import io.switchboard.settings.Limits;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Autobahn section 10: a message cut into one-byte fragments, the finest fragmentation there is,
 * comes back whole: 16 KiB (16,384 frames) of text and of binary whose multi-byte characters are
 * split at every byte.
 */
class Section10AutoFragmentationTest {

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = Conformance.echoServer(Conformance.manyFragments(Limits.defaults()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {RawClient.TEXT, RawClient.BINARY})
    void a16KiBMessageInOneByteFragmentsEchoesWhole(int opcode) {
        byte[] payload = utf8("aé€\uD83D\uDE00".repeat(16384 / 10) + "tail");
        try (RawClient raw = Conformance.open(server)) {
            raw.writeRaw(Section9LargeMessagesTest.fragmented(opcode, payload, 1));
            expectFrame(raw, opcode, payload);
        }
    }
}
