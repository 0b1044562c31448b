/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.ClientEvent;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code countdown}: silence until the client speaks, then ten numbered messages and a normal close. */
class CountdownExampleTest {

    private final TestServer server = TestServer.start(builder -> Examples.configure("countdown", builder));

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void afterTheFirstMessageTenServiceMessagesThenClose1000() {
        TestClient client = server.connect("/ws/countdown");
        client.expectNothing(Duration.ofMillis(700)); // longer than one interval: nothing before we speak

        long started = System.nanoTime();
        client.sendText("start");
        client.sendText("a second message changes nothing");

        for (int i = 0; i < 10; i++) {
            assertThat(client.expectText()).isEqualTo("service message: " + i);
        }
        assertThat(client.expectClosed()).isEqualTo(new ClientEvent.Closed(1000, ""));
        // Nine pauses of half a second; checked loosely, as a floor only.
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(4_000);
    }

    @Test
    void aBinaryFirstMessageStartsItToo() {
        TestClient client = server.connect("/ws/countdown");

        client.sendBinary(new byte[] {1});

        assertThat(client.expectText()).isEqualTo("service message: 0");
        client.abort(); // leaving mid-countdown is fine for the server
    }
}
