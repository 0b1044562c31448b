/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code echo}, driven by the JDK's WebSocket client: every message goes back to its sender. */
class EchoExampleTest {

    private final TestServer server = TestServer.start(builder -> Examples.configure("echo", builder));

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void textComesBackUnchanged() {
        TestClient client = server.connect("/ws/echo");

        for (String text : new String[] {"hello", "", "héllo wörld 日本語 😀", "x".repeat(60_000)}) {
            client.sendText(text);
            assertThat(client.expectText()).isEqualTo(text);
        }
    }

    @Test
    void binaryComesBackUnchanged() {
        TestClient client = server.connect("/ws/echo");
        byte[] every = new byte[256];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) i;
        }

        client.sendBinary(every);
        assertThat(client.expectBinary()).isEqualTo(every);
        client.sendBinary(new byte[0]);
        assertThat(client.expectBinary()).isEmpty();
    }

    @Test
    void messagesComeBackInOrderAndOnlyToTheirSender() {
        TestClient first = server.connect("/ws/echo");
        TestClient second = server.connect("/ws/echo");

        for (int i = 0; i < 50; i++) {
            first.sendText("m" + i);
        }
        second.sendBinary(new byte[] {42});

        for (int i = 0; i < 50; i++) {
            assertThat(first.expectText()).isEqualTo("m" + i);
        }
        assertThat(Arrays.equals(second.expectBinary(), new byte[] {42})).isTrue();
    }

    @Test
    void theClientsCloseIsAnswered() {
        TestClient client = server.connect("/ws/echo");

        client.sendClose(1000, "done");

        assertThat(client.expectClosed().code()).isEqualTo(1000);
    }
}
