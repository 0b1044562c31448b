/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testkit.ClientEvent;
import io.switchboard.testkit.TestClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The real process's log lines on stderr: with {@code --log-format json} every one is a JSON object,
 * and a refused and a closed connection are logged with their fields; without it they read as before.
 */
class JsonLogsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("Switchboard listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Map<String, String> FOREIGN_ORIGIN = Map.of("Origin", "http://evil.example");

    @Test
    void jsonLogsAreOneObjectPerLine() throws Exception {
        Process process = start("--log-format", "json", "--max-message-size", "1KiB");
        try {
            ServeProcessLines err = ServeProcessLines.of("serve's stderr", process.getErrorStream());
            int port = awaitPort(process);

            assertThat(TestClient.refusedStatus(URI.create("ws://127.0.0.1:" + port + "/ws/echo"), FOREIGN_ORIGIN))
                    .isEqualTo(403);
            JsonNode refusal = JSON.readTree(err.await(line -> line.contains("refusing a WebSocket upgrade")));
            assertThat(refusal.get("level").asText()).isEqualTo("INFO");
            assertThat(refusal.get("logger").asText()).isEqualTo("io.switchboard.transport.Upgrade");
            assertThat(refusal.get("message").asText())
                    .contains("with 403: origin 'http://evil.example' is not allowed");

            TestClient ann = TestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/chat/lobby?user=ann"));
            ann.sendText("{\"type\":\"message\",\"message\":\"" + "x".repeat(2048) + "\"}");
            assertThat(closeCode(ann)).isEqualTo(1009);
            JsonNode close = JSON.readTree(err.await(line -> line.contains("with 1009")));
            assertThat(close.get("logger").asText()).startsWith("io.switchboard.transport");
            assertThat(close.get("address").asText()).matches("127\\.0\\.0\\.1:\\d+");
            assertThat(close.get("session").asText()).isNotBlank();
            assertThat(close.get("route").asText()).isEqualTo("/ws/chat/{room}");
            assertThat(close.get("user").asText()).isEqualTo("ann");
            assertThat(close.get("code").isInt()).as(close.toString()).isTrue();
            assertThat(close.get("code").asInt()).isEqualTo(1009);

            process.toHandle().destroy(); // SIGTERM
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            List<String> lines = err.all();
            assertThat(lines).isNotEmpty().allSatisfy(line -> {
                JsonNode node = JSON.readTree(line);
                assertThat(node.isObject()).as(line).isTrue();
                assertThat(node.has("timestamp") && node.has("level") && node.has("logger") && node.has("thread"))
                        .as(line)
                        .isTrue();
                assertThat(node.get("message").isTextual()).as(line).isTrue();
            });
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void aFailedStartIsAnErrorEventToo() throws Exception {
        try (var taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            Process process = start("--log-format", "json", "--port", String.valueOf(taken.getLocalPort()));
            try {
                ServeProcessLines err = ServeProcessLines.of("serve's stderr", process.getErrorStream());
                assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(process.exitValue()).isEqualTo(1);
                List<String> lines = err.all();
                assertThat(lines).isNotEmpty();
                JsonNode failure = JSON.readTree(lines.getLast());
                assertThat(failure.get("level").asText()).isEqualTo("ERROR");
                assertThat(failure.get("message").asText())
                        .startsWith("switchboard could not start: cannot listen on 127.0.0.1:" + taken.getLocalPort());
                for (String line : lines) {
                    assertThat(JSON.readTree(line).isObject()).as(line).isTrue();
                }
            } finally {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void plainLogsReadAsBefore() throws Exception {
        Process process = start();
        try {
            ServeProcessLines err = ServeProcessLines.of("serve's stderr", process.getErrorStream());
            int port = awaitPort(process);

            assertThat(TestClient.refusedStatus(URI.create("ws://127.0.0.1:" + port + "/ws/echo"), FOREIGN_ORIGIN))
                    .isEqualTo(403);
            assertThat(err.await(line -> line.contains("refusing a WebSocket upgrade")))
                    .matches("\\[[^\\]]+] INFO io\\.switchboard\\.transport\\.Upgrade - refusing a WebSocket upgrade"
                            + " from /127\\.0\\.0\\.1:\\d+ with 403: origin 'http://evil\\.example' is not allowed.*");
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * No {@code logback.xml} that Logback would take by itself in a program embedding the library: the
     * product's configuration has another name, which Main gives Logback (the test above shows it).
     */
    @Test
    void theLibraryLeavesLogbackToWhoeverEmbedsIt() {
        ClassLoader loader = Main.class.getClassLoader();
        assertThat(loader.getResource("logback.xml")).isNull();
        assertThat(loader.getResource("logback-test.xml")).isNull();
        assertThat(loader.getResource(LogSetup.CONFIGURATION)).isNotNull();
    }

    /** The code {@code client} is closed with, after whatever it was sent before (the chat's welcome). */
    private static int closeCode(TestClient client) {
        while (true) {
            if (client.nextEvent() instanceof ClientEvent.Closed closed) {
                return closed.code();
            }
        }
    }

    private static int awaitPort(Process process) throws Exception {
        ServeProcessLines out = ServeProcessLines.of("serve's stdout", process.getInputStream());
        Matcher listening =
                LISTENING.matcher(out.await(line -> LISTENING.matcher(line).find()));
        assertThat(listening.find()).isTrue();
        return Integer.parseInt(listening.group(1));
    }

    /** {@code serve} on a loopback port (a free one unless the options name one) in a process of its own: this JVM, with this test's class path. */
    private static Process start(String... options) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of("serve", "--host", "127.0.0.1"));
        if (!List.of(options).contains("--port")) {
            command.addAll(List.of("--port", "0"));
        }
        command.addAll(List.of(options));
        return new ProcessBuilder(command).start();
    }
}
