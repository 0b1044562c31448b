/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.TestClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The real process: SIGTERM closes every socket with 1001 and exits 0 within the drain timeout. */
class ShutdownTest {

    @Test
    void sigtermDrainsAndExitsZero() throws Exception {
        try (ServeProcess serve = ServeProcess.start("--drain-timeout", "3s")) {
            int port = serve.port();
            TestClient echo = TestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/echo"));
            TestClient chat = TestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/chat/lobby?user=ann"));
            assertThat(chat.expectText()).contains("\"type\":\"welcome\"");
            echo.sendText("ping");
            assertThat(echo.expectText()).isEqualTo("ping");

            serve.terminate();

            assertThat(echo.expectClosed().code()).isEqualTo(1001);
            assertThat(chat.expectClosed().code()).isEqualTo(1001);
            assertThat(serve.awaitExit()).as("exited within the drain timeout").isZero();
            serve.awaitLine("Switchboard stopped");
            echo.assertNoUnreadEvents();
            chat.assertNoUnreadEvents();
        }
    }

    @Test
    void aPortInUseFailsNamingTheAddress() throws Exception {
        try (var taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            Process process =
                    ServeProcess.launch("serve", "--host", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort()));
            try {
                assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(process.exitValue()).isEqualTo(1);
                String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(err).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
            } finally {
                process.destroyForcibly();
            }
        }
    }
}
