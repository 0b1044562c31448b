/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.ECHO;
import static io.switchboard.conformance.Conformance.compressible;
import static io.switchboard.conformance.Conformance.deflate;
import static io.switchboard.conformance.Conformance.inflate;
import static io.switchboard.conformance.Conformance.openDeflate;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Autobahn section 13: permessage-deflate under each combination of parameters: context takeover by
 * the client or not, and every window size from 9 to 15 bits on both sides, with messages below,
 * at and above the window.
 */
class Section13CompressionParamsTest {

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = Conformance.echoServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static List<Arguments> parameterSets() {
        List<Arguments> sets = new ArrayList<>();
        for (int bits = 9; bits <= 15; bits++) {
            sets.add(Arguments.of(bits, false));
            sets.add(Arguments.of(bits, true));
        }
        return sets;
    }

    @ParameterizedTest(name = "window bits {0}, client_no_context_takeover {1}")
    @MethodSource("parameterSets")
    void everyParameterSetIsAgreedAndMessagesRoundTrip(int bits, boolean clientNoContext) {
        String offer = "permessage-deflate; server_max_window_bits=" + bits + "; client_max_window_bits=" + bits
                + (clientNoContext ? "; client_no_context_takeover" : "");
        String expected = "permessage-deflate; server_no_context_takeover"
                + (clientNoContext ? "; client_no_context_takeover" : "")
                + (bits == 15 ? "" : "; server_max_window_bits=" + bits)
                + "; client_max_window_bits=" + bits;
        Conformance.Negotiated negotiated = openDeflate(server, ECHO, offer);
        assertThat(negotiated.extensions()).isEqualTo(expected);

        int window = 1 << bits;
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try (RawClient raw = negotiated.raw()) {
            for (int size : new int[] {100, window, window + 1, 60_000, 100}) {
                byte[] data = compressible(size);
                if (clientNoContext) {
                    deflater.reset();
                }
                raw.send(true, 4, RawClient.BINARY, deflate(deflater, data));
                RawClient.Frame echo = raw.readFrame();
                assertThat(echo.opcode()).isEqualTo(RawClient.BINARY);
                boolean fits = bits == 15 || size <= window;
                assertThat(echo.rsv())
                        .as("%d bytes under a window of %d: compressed only if it fits", size, window)
                        .isEqualTo(fits ? 4 : 0);
                assertThat(fits ? inflate(echo.payload()) : echo.payload()).isEqualTo(data);
            }
        } finally {
            deflater.end();
        }
    }

    @Test
    void anInvalidOfferBeforeAValidOneIsSkipped() {
        Conformance.Negotiated negotiated = openDeflate(
                server,
                ECHO,
                "permessage-deflate; server_max_window_bits=16, permessage-deflate; client_no_context_takeover");
        assertThat(negotiated.extensions())
                .isEqualTo("permessage-deflate; server_no_context_takeover; client_no_context_takeover");
        try (RawClient raw = negotiated.raw()) {
            byte[] data = compressible(1000);
            raw.send(true, 4, RawClient.TEXT, deflate(data));
            assertThat(Conformance.readMessage(raw, RawClient.TEXT)).isEqualTo(data);
        }
    }

    @Test
    void noValidOfferMeansNoCompressionAndTheHandshakeStillSucceeds() {
        for (String offer : new String[] {
            "permessage-deflate; server_max_window_bits",
            "permessage-deflate; client_max_window_bits=8; client_max_window_bits=9",
            "permessage-deflate; mystery=1",
            "permessage-deflate; server_max_window_bits=7, permessage-deflate; client_no_context_takeover=yes"
        }) {
            Conformance.Negotiated negotiated = openDeflate(server, ECHO, offer);
            assertThat(negotiated.extensions()).as(offer).isNull();
            try (RawClient raw = negotiated.raw()) {
                byte[] data = compressible(1000);
                raw.sendBinary(data);
                Conformance.expectFrame(raw, RawClient.BINARY, data);
                raw.send(true, 4, RawClient.BINARY, deflate(data));
                Conformance.expectClose(server, raw, 1002);
            }
        }
    }
}
