/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The healthy chat accounting catches every way a room's stream can go wrong, and nothing else. */
class RoomLedgerTest {

    private final RoomLedger room = new RoomLedger("r");
    private final RoomLedger.Member alice = room.member("alice");
    private final RoomLedger.Member bob = room.member("bob");

    /** Alice sends {@code count} messages; returns their texts. */
    private String[] send(int count) {
        String[] texts = new String[count];
        for (int i = 0; i < count; i++) {
            texts[i] = RoomLedger.text("alice", i, 40);
            room.sent(texts[i]);
        }
        return texts;
    }

    @Test
    void everyMessageOnceAndInOrderIsClean() throws Exception {
        alice.welcome(7);
        bob.welcome(7);
        String[] texts = send(3);
        for (RoomLedger.Member member : new RoomLedger.Member[] {alice, bob}) {
            member.message(8, texts[0]);
            member.message(9, "someone else's message");
            member.message(10, texts[1]);
            member.message(11, texts[2]);
        }

        assertThat(room.awaitDelivered(System.currentTimeMillis())).isTrue();
        assertThat(room.totals()).isEqualTo(new RoomLedger.Totals(3, 6, 8, 0, 0, 0, 0, 0));
        assertThat(room.totals().clean()).isTrue();
    }

    @Test
    void aMissingHealthyMessageIsLostAndItsIdSkipped() throws Exception {
        alice.welcome(0);
        bob.welcome(0);
        String[] texts = send(3);
        alice.message(1, texts[0]);
        alice.message(2, texts[1]);
        alice.message(3, texts[2]);
        bob.message(1, texts[0]);
        bob.message(3, texts[2]);

        assertThat(room.awaitDelivered(System.currentTimeMillis())).isFalse();
        RoomLedger.Totals totals = room.totals();
        assertThat(totals.lost()).isEqualTo(1);
        assertThat(totals.idGaps()).isEqualTo(1);
        assertThat(totals.duplicated()).isZero();
        assertThat(totals.clean()).isFalse();
    }

    @Test
    void anotherClientsMissingMessageIsASkippedId() {
        alice.welcome(0);
        bob.welcome(0);
        alice.message(1, "x");
        alice.message(3, "z");

        assertThat(room.totals().idGaps()).isEqualTo(1);
        assertThat(room.totals().lost()).isZero();
        assertThat(room.totals().clean()).isFalse();
    }

    @Test
    void aRepeatedIdOrTextIsDuplicated() {
        alice.welcome(0);
        bob.welcome(0);
        String[] texts = send(2);
        alice.message(1, texts[0]);
        alice.message(1, texts[0]); // the same message again
        alice.message(2, texts[1]);
        alice.message(3, texts[1]); // the same text under a new id
        bob.message(1, texts[0]);
        bob.message(2, texts[1]);

        assertThat(room.totals().duplicated()).isEqualTo(2);
        assertThat(room.totals().lost()).isZero();
    }

    @Test
    void aSwapIsOutOfOrderButNotLost() {
        alice.welcome(0);
        bob.welcome(0);
        String[] texts = send(3);
        alice.message(1, texts[0]);
        alice.message(3, texts[2]);
        alice.message(2, texts[1]);
        bob.message(1, texts[0]);
        bob.message(2, texts[1]);
        bob.message(3, texts[2]);

        RoomLedger.Totals totals = room.totals();
        assertThat(totals.outOfOrder()).isEqualTo(1);
        assertThat(totals.lost()).isZero();
        assertThat(totals.idGaps()).isZero();
        assertThat(totals.duplicated()).isZero();
    }

    @Test
    void historyAgainAfterTheWelcomeIsDuplicated() {
        alice.welcome(5);
        alice.message(5, "the welcome's last message, sent again live");

        assertThat(room.totals().duplicated()).isEqualTo(1);
    }

    @Test
    void aMessageBeforeTheWelcomeAndAnErrorReplyAreErrors() {
        alice.message(1, "too early");
        alice.welcome(1);
        bob.welcome(0);
        bob.error();

        assertThat(room.totals().errors()).isEqualTo(2);
        assertThat(room.totals().clean()).isFalse();
    }

    @Test
    void aTokenIsReadBackFromItsText() {
        assertThat(RoomLedger.token(RoomLedger.text("bob", 12, 100))).isEqualTo("soak:bob:12");
        assertThat(RoomLedger.text("bob", 12, 100)).hasSize(100);
        assertThat(RoomLedger.token("soak: but not ours")).isNull();
        assertThat(RoomLedger.token("anything")).isNull();
    }
}
