/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.session.Address;
import io.switchboard.session.Event;
import io.switchboard.session.Message;
import org.junit.jupiter.api.Test;

/** What crosses nodes comes back exactly as it went. */
class EnvelopeTest {

    @Test
    void everyKindRoundTrips() {
        Envelope[] envelopes = {
            new Envelope.Broadcast("n1", "room:lobby", Message.text("héllo 🎉"), new Address("n1.7")),
            new Envelope.Broadcast("n1", "g", Message.binary(new byte[] {0, (byte) 0xff, 10}), null),
            new Envelope.Broadcast("n1", "ticker", Message.text("AAPL 101"), null, "AAPL"),
            new Envelope.Broadcast("n1", "ticker", Message.binary(new byte[] {7}), new Address("n1.3"), "é"),
            new Envelope.GroupEvent("n2", "user:ann", new Event("chat.drain", "{\"a\":[1,2]}")),
            new Envelope.ToUser("n3", "bob", Message.text("")),
            new Envelope.ToAddress("n4", new Address("n9.42"), Message.text("direct"))
        };
        for (Envelope envelope : envelopes) {
            assertThat(Envelope.decode(Envelope.encode(envelope))).isEqualTo(envelope);
        }
    }

    @Test
    void aHistoryScriptsHeadIsTheStartOfTheBroadcastItCompletes() {
        for (String key : new String[] {null, "AAPL"}) {
            byte[] head = Envelope.broadcastHead("ticker", key);
            byte[] text = "{\"id\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] whole = java.nio.ByteBuffer.allocate(head.length + 4 + text.length)
                    .put(head)
                    .putInt(text.length)
                    .put(text)
                    .array();
            assertThat(Envelope.decode(whole))
                    .isEqualTo(new Envelope.Broadcast(
                            Envelope.FROM_NO_NODE, "ticker", Message.text("{\"id\":1}"), null, key));
        }
    }

    @Test
    void bytesThatAreNoEnvelopeAreRefusedWithAReason() {
        assertThatThrownBy(() -> Envelope.decode(new byte[] {'X', 0, 0, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown envelope kind");
        assertThatThrownBy(() -> Envelope.decode(new byte[] {'B', 0, 0, 0, 99}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not fit");
    }
}
