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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code broadcast-chat}: every text message reaches every open connection, the sender included. */
class BroadcastChatExampleTest {

    private final TestServer server = TestServer.start(builder -> Examples.configure("broadcast-chat", builder));

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyoneIncludingTheSenderGetsEveryMessage() {
        List<TestClient> clients =
                List.of(server.connect("/ws/chat"), server.connect("/ws/chat"), server.connect("/ws/chat"));

        for (int sender = 0; sender < clients.size(); sender++) {
            String text = "from " + sender;
            clients.get(sender).sendText(text);
            for (TestClient client : clients) {
                assertThat(client.expectText()).isEqualTo(text);
            }
        }
    }

    @Test
    void oneSendersMessagesArriveInOrderEverywhere() {
        TestClient ann = server.connect("/ws/chat");
        TestClient bob = server.connect("/ws/chat");

        for (int i = 0; i < 30; i++) {
            ann.sendText("n" + i);
        }

        for (int i = 0; i < 30; i++) {
            assertThat(ann.expectText()).isEqualTo("n" + i);
            assertThat(bob.expectText()).isEqualTo("n" + i);
        }
    }

    @Test
    void aClientGetsOnlyWhatIsSentWhileItIsConnected() {
        TestClient early = server.connect("/ws/chat");
        early.sendText("before");
        assertThat(early.expectText()).isEqualTo("before");

        TestClient late = server.connect("/ws/chat");
        late.sendText("after");

        assertThat(early.expectText()).isEqualTo("after");
        assertThat(late.expectText()).isEqualTo("after");
        late.expectNothing(Duration.ofMillis(200));
    }

    @Test
    void aClientThatLeftNoLongerCountsAndTheOthersCarryOn() {
        TestClient leaving = server.connect("/ws/chat");
        TestClient staying = server.connect("/ws/chat");

        leaving.sendClose(1000, "bye");
        assertThat(leaving.expectClosed().code()).isEqualTo(1000);
        staying.sendText("still here");

        assertThat(staying.expectText()).isEqualTo("still here");
        leaving.expectNothing(Duration.ofMillis(200));
    }
}
