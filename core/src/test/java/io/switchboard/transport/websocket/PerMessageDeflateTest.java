/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The permessage-deflate negotiation of RFC 7692, section 7, offer by offer. */
class PerMessageDeflateTest {

    private static String answer(String offer) {
        PerMessageDeflate.Agreement agreement = PerMessageDeflate.negotiate(List.of(offer));
        return agreement == null ? "declined" : agreement.responseHeader();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "permessage-deflate | permessage-deflate; server_no_context_takeover",
                "PerMessage-Deflate | permessage-deflate; server_no_context_takeover",
                "permessage-deflate; server_no_context_takeover | permessage-deflate; server_no_context_takeover",
                "permessage-deflate; client_no_context_takeover"
                        + " | permessage-deflate; server_no_context_takeover; client_no_context_takeover",
                "permessage-deflate; client_max_window_bits | permessage-deflate; server_no_context_takeover",
                "permessage-deflate; client_max_window_bits=9"
                        + " | permessage-deflate; server_no_context_takeover; client_max_window_bits=9",
                "permessage-deflate; server_max_window_bits=10"
                        + " | permessage-deflate; server_no_context_takeover; server_max_window_bits=10",
                "permessage-deflate; server_max_window_bits=\"12\""
                        + " | permessage-deflate; server_no_context_takeover; server_max_window_bits=12",
                "permessage-deflate; server_max_window_bits=15 | permessage-deflate; server_no_context_takeover",
                "permessage-deflate;client_no_context_takeover;server_no_context_takeover;server_max_window_bits=8;"
                        + "client_max_window_bits=15 | permessage-deflate; server_no_context_takeover;"
                        + " client_no_context_takeover; server_max_window_bits=8; client_max_window_bits=15",
                "x-webkit-deflate-frame, permessage-deflate | permessage-deflate; server_no_context_takeover",
                "permessage-deflate; server_max_window_bits=7, permessage-deflate; client_no_context_takeover"
                        + " | permessage-deflate; server_no_context_takeover; client_no_context_takeover",
                "permessage-deflate; x=\"a, permessage-deflate\" | declined",
            })
    void theFirstValidOfferIsAnsweredWithServerNoContextTakeover(String offer, String expected) {
        assertThat(answer(offer)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "permessage-deflate; unknown",
                "permessage-deflate; server_max_window_bits",
                "permessage-deflate; server_max_window_bits=",
                "permessage-deflate; server_max_window_bits=7",
                "permessage-deflate; server_max_window_bits=16",
                "permessage-deflate; server_max_window_bits=09",
                "permessage-deflate; server_max_window_bits=ten",
                "permessage-deflate; client_max_window_bits=0",
                "permessage-deflate; client_max_window_bits=1000",
                "permessage-deflate; server_no_context_takeover=1",
                "permessage-deflate; client_no_context_takeover=true",
                "permessage-deflate; client_no_context_takeover; client_no_context_takeover",
                "permessage-deflate; server_max_window_bits=10; server_max_window_bits=10",
                "x-webkit-deflate-frame",
                "",
            })
    void anInvalidOfferIsDeclinedNotRefused(String offer) {
        assertThat(answer(offer)).isEqualTo("declined");
    }

    @Test
    void aSmallerServerWindowCompressesOnlyMessagesThatFitIt() {
        PerMessageDeflate.Agreement nine = new PerMessageDeflate.Agreement(9, 0, false);
        assertThat(nine.compresses(63)).isFalse();
        assertThat(nine.compresses(64)).isTrue();
        assertThat(nine.compresses(512)).isTrue();
        assertThat(nine.compresses(513)).isFalse();
        PerMessageDeflate.Agreement full = new PerMessageDeflate.Agreement(15, 0, false);
        assertThat(full.compresses(10_000_000)).isTrue();
    }
}
