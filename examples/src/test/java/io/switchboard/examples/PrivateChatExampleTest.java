/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code private-chat}: a message goes, as sent, to every connection of the named user. */
class PrivateChatExampleTest {

    private static final Duration QUIET = Duration.ofMillis(200);

    private final TestServer server = TestServer.start(builder -> Examples.configure("private-chat", builder));

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyConnectionOfTheUserGetsTheSameJsonTextAndNobodyElseDoes() {
        TestClient alice = server.connect("/ws/alice");
        TestClient bobPhone = server.connect("/ws/bob");
        TestClient bobLaptop = server.connect("/ws/bob");
        TestClient carol = server.connect("/ws/carol");
        // Spacing and an extra field: the text is passed on as it was sent, not re-written.
        String text = "{\"message\": \"hi bob\",  \"to_user\": \"bob\", \"sent_at\": 1}";

        alice.sendText(text);

        assertThat(bobPhone.expectText()).isEqualTo(text);
        assertThat(bobLaptop.expectText()).isEqualTo(text);
        alice.expectNothing(QUIET);
        carol.expectNothing(QUIET);
    }

    @Test
    void aMessageToAUserWithNoConnectionTellsTheSenderExactly() {
        TestClient alice = server.connect("/ws/alice");

        alice.sendText("{\"message\": \"are you there?\", \"to_user\": \"bob\"}");

        assertThat(alice.expectText()).isEqualTo("{\"error\":\"user_offline\",\"to_user\":\"bob\"}");
    }

    @Test
    void aUserWhoseConnectionsAllClosedIsOffline() {
        TestClient alice = server.connect("/ws/alice");
        TestClient bob = server.connect("/ws/bob");
        String text = "{\"message\": \"one\", \"to_user\": \"bob\"}";
        alice.sendText(text);
        assertThat(bob.expectText()).isEqualTo(text);

        bob.sendClose(1000, "");
        assertThat(bob.expectClosed().code()).isEqualTo(1000);
        alice.sendText("{\"message\": \"two\", \"to_user\": \"bob\"}");

        assertThat(alice.expectText()).isEqualTo("{\"error\":\"user_offline\",\"to_user\":\"bob\"}");
    }

    @Test
    void usersAreTheirPathsSoTwoNamesNeverMix() {
        TestClient alice = server.connect("/ws/alice");
        TestClient alicia = server.connect("/ws/alicia");
        String text = "{\"message\": \"hi\", \"to_user\": \"alicia\"}";

        alice.sendText(text);

        assertThat(alicia.expectText()).isEqualTo(text);
        alice.expectNothing(QUIET);
    }

    @Test
    void aMessageToOneselfReachesEveryOwnConnection() {
        TestClient first = server.connect("/ws/dana");
        TestClient second = server.connect("/ws/dana");
        String text = "{\"message\": \"note to self\", \"to_user\": \"dana\"}";

        first.sendText(text);

        assertThat(first.expectText()).isEqualTo(text);
        assertThat(second.expectText()).isEqualTo(text);
    }

    @Test
    void textThatIsNotAMessageGetsAnErrorAndTheConnectionStaysUsable() {
        TestClient alice = server.connect("/ws/alice");
        TestClient bob = server.connect("/ws/bob");

        alice.sendText("not json");
        assertThat(alice.expectText()).startsWith("{\"error\":\"bad_json\",\"detail\":");
        alice.sendText("{\"message\": \"no recipient\"}");
        assertThat(alice.expectText())
                .isEqualTo("{\"error\":\"bad_request\",\"detail\":\"message and to_user are required\"}");

        String text = "{\"message\": \"fine now\", \"to_user\": \"bob\"}";
        alice.sendText(text);
        assertThat(bob.expectText()).isEqualTo(text);
    }
}
