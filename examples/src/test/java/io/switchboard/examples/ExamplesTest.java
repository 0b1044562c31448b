/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.Server;
import io.switchboard.testkit.TestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The launcher: names, options, and that each example it starts serves its path. */
class ExamplesTest {

    private static final String[] NAMES = {"broadcast-chat", "clock", "countdown", "echo", "private-chat"};

    private static Examples.Options parse(String name, String... args) {
        return Examples.Options.parse(name, args);
    }

    @Test
    void usageListsEveryExampleInOrder() {
        String usage = Examples.usage();

        assertThat(usage)
                .startsWith("examples:\n")
                .endsWith("run one with: ./switchboard example NAME [--port N] [--host H]\n");
        int last = -1;
        for (String name : NAMES) {
            int at = usage.indexOf("  " + name + " ");
            assertThat(at).as(name).isGreaterThan(last);
            last = at;
        }
    }

    @Test
    void theDefaultsAreEveryAddressAndPort8000() {
        assertThat(parse("echo")).isEqualTo(new Examples.Options("echo", "0.0.0.0", 8000));
    }

    @Test
    void portAndHostCanBeGivenInAnyOrder() {
        assertThat(parse("clock", "--port", "9001", "--host", "127.0.0.1"))
                .isEqualTo(new Examples.Options("clock", "127.0.0.1", 9001));
        assertThat(parse("clock", "--host", "::1", "--port", "0")).isEqualTo(new Examples.Options("clock", "::1", 0));
    }

    @Test
    void anUnknownExampleIsNamedAlongWithTheChoices() {
        assertThatThrownBy(() -> parse("chat"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no example named 'chat'; try: broadcast-chat, clock, countdown, echo, private-chat");
    }

    @Test
    void anUnknownOptionIsNamed() {
        assertThatThrownBy(() -> parse("echo", "--verbose"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown option '--verbose'; options are --port N and --host H");
        assertThatThrownBy(() -> parse("echo", "8000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown option '8000'; options are --port N and --host H");
    }

    @Test
    void anOptionWithoutItsValueFails() {
        assertThatThrownBy(() -> parse("echo", "--port"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--port needs a value");
        assertThatThrownBy(() -> parse("echo", "--port", "9000", "--host"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--host needs a value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1", "65536", "80.5", ""})
    void aPortThatIsNotANumberFrom0To65535Fails(String port) {
        assertThatThrownBy(() -> parse("echo", "--port", port))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--port needs a number from 0 to 65535, not '" + port + "'");
    }

    @Test
    void configureKnowsOnlyTheListedExamples() {
        assertThatThrownBy(() -> Examples.configure("nope", Server.builder()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no example named 'nope'");
    }

    @Test
    void eachStartedExampleServesItsPathAndClosingStopsEverything() throws Exception {
        for (String name : NAMES) {
            Examples.Running running =
                    Examples.start(new Examples.Options(name, "127.0.0.1", 0), Clock.systemDefaultZone());
            try {
                String base = "ws://127.0.0.1:" + running.server().port();
                switch (name) {
                    case "echo" -> {
                        try (TestClient client = TestClient.connect(URI.create(base + "/ws/echo"))) {
                            client.sendText("ping");
                            assertThat(client.expectText()).isEqualTo("ping");
                        }
                    }
                    case "broadcast-chat" -> {
                        try (TestClient client = TestClient.connect(URI.create(base + "/ws/chat"))) {
                            client.sendText("all");
                            assertThat(client.expectText()).isEqualTo("all");
                        }
                    }
                    case "private-chat" -> {
                        try (TestClient client = TestClient.connect(URI.create(base + "/ws/ann"))) {
                            String text = "{\"message\":\"me\",\"to_user\":\"ann\"}";
                            client.sendText(text);
                            assertThat(client.expectText()).isEqualTo(text);
                        }
                    }
                    case "clock" -> {
                        assertThat(running.ticker()).isNotNull();
                        try (TestClient client = TestClient.connect(URI.create(base + "/ws/clock"))) {
                            assertThat(client.expectText()).startsWith("{\"time\":\"");
                        }
                        HttpResponse<String> page = HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                                        + running.server().port() + "/ws/clock"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString());
                        assertThat(page.statusCode()).isEqualTo(200);
                    }
                    case "countdown" -> {
                        try (TestClient client = TestClient.connect(URI.create(base + "/ws/countdown"))) {
                            client.sendText("go");
                            assertThat(client.expectText()).isEqualTo("service message: 0");
                        }
                    }
                    default -> throw new AssertionError(name);
                }
                if (!name.equals("clock")) {
                    assertThat(running.ticker()).as(name + " has no ticker").isNull();
                }
            } finally {
                running.close();
            }
            assertThat(running.server().openSessions()).as(name).isZero();
            if (running.ticker() != null) {
                assertThat(running.ticker().isShutdown()).isTrue();
            }
        }
    }
}
