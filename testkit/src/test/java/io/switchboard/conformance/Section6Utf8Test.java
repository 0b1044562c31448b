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
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Autobahn section 6: text must be UTF-8 (1007 otherwise), checked across fragment boundaries; a
 * message is failed at the first invalid byte, without waiting for the rest of its frame or message
 * (see {@link Utf8AsItArrivesTest}). Valid text is echoed whatever its fragmentation.
 */
class Section6Utf8Test {

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
    @ValueSource(
            strings = {
                "",
                "Hello-µ@ßöäüàá-UTF-8!!",
                "κόσμε",
                "\u0000",
                "\u007F\u0080\u07FF\u0800\uFFFF",
                "\uD800\uDC00\uDBFF\uDFFF", // U+10000 and U+10FFFF
                "\uD83D\uDE00 emoji \uD83C\uDF89",
                "\uFEFF\uFFFD"
            })
    void validTextEchoesWholeAndInOneByteFragments(String text) {
        byte[] bytes = utf8(text);
        try (RawClient raw = Conformance.open(server)) {
            raw.send(true, 0, RawClient.TEXT, bytes);
            expectFrame(raw, RawClient.TEXT, bytes);
            if (bytes.length > 1) {
                for (int i = 0; i < bytes.length; i++) {
                    raw.send(i == bytes.length - 1, 0, i == 0 ? RawClient.TEXT : RawClient.CONTINUATION, new byte[] {
                        bytes[i]
                    });
                }
                expectFrame(raw, RawClient.TEXT, bytes);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "80", // a lone continuation byte
                "bf",
                "c0af", // overlong '/'
                "c1bf",
                "e080af",
                "f08080af",
                "f888808080", // five-byte form
                "eda080", // surrogate U+D800
                "edbfbf", // surrogate U+DFFF
                "f4908080", // above U+10FFFF
                "fe",
                "ff",
                "cebae1bdb9cf83cebcceb5eda080656469746564", // κόσμε then a surrogate
                "e282", // a character cut short at the end of the message
                "c3"
            })
    void invalidTextCloses1007WholeAndInOneByteFragments(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        try (RawClient raw = Conformance.open(server)) {
            raw.send(true, 0, RawClient.TEXT, bytes);
            expectClose(server, raw, 1007);
        }
        // The fragments go in one write: the server closes at the bad byte, and a write after that
        // would meet a reset instead of the close frame.
        ByteArrayOutputStream fragments = new ByteArrayOutputStream();
        for (int i = 0; i < bytes.length; i++) {
            int opcode = i == 0 ? RawClient.TEXT : RawClient.CONTINUATION;
            fragments.writeBytes(RawClient.encode(i == bytes.length - 1, 0, opcode, new byte[] {bytes[i]}, true));
        }
        try (RawClient raw = Conformance.open(server)) {
            raw.writeRaw(fragments.toByteArray());
            expectClose(server, raw, 1007);
        }
    }

    @Test
    void aMessageFailsAtTheFirstBadFragmentWithoutWaitingForTheRest() {
        try (RawClient raw = Conformance.open(server)) {
            raw.send(false, 0, RawClient.TEXT, utf8("κόσμε"));
            raw.send(false, 0, RawClient.CONTINUATION, HexFormat.of().parseHex("eda080"));
            // the message never ends: the server must not wait for it
            expectClose(server, raw, 1007);
        }
    }

    @Test
    void aCharacterSplitAcrossFragmentsIsValid() {
        byte[] euro = utf8("€");
        try (RawClient raw = Conformance.open(server)) {
            raw.send(false, 0, RawClient.TEXT, new byte[] {'a', euro[0]});
            raw.send(false, 0, RawClient.CONTINUATION, new byte[] {euro[1]});
            raw.send(true, 0, RawClient.CONTINUATION, new byte[] {euro[2], 'b'});
            expectFrame(raw, RawClient.TEXT, utf8("a€b"));
        }
    }

    @Test
    void binaryIsNotText() {
        try (RawClient raw = Conformance.open(server)) {
            byte[] invalid = HexFormat.of().parseHex("eda080fffe");
            raw.send(true, 0, RawClient.BINARY, invalid);
            expectFrame(raw, RawClient.BINARY, invalid);
        }
    }
}
