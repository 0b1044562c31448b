/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.redis.RedisSettings;
import io.switchboard.server.chat.ChatSettings;
import io.switchboard.testkit.RedisServer;
import io.switchboard.testkit.TestClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A node killed with SIGKILL (no goodbye) disappears from presence within the node expiry plus a
 * heartbeat, and the other nodes' clients get {@code leave} for its users, once per user that has
 * no connection left in the room.
 */
class NodeDeathTest {

    private static final Pattern LISTENING = Pattern.compile("Switchboard listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration HEARTBEAT = Duration.ofMillis(200);
    private static final Duration EXPIRY = Duration.ofMillis(1000);

    @Test
    void aKilledNodesUsersLeaveTheirRoomsWithinTheExpiry() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            RedisSettings settings =
                    RedisSettings.of(redis.uri()).withPrefix("death:").withHeartbeat(HEARTBEAT, EXPIRY);
            Process doomed = startNode(redis.uri(), "death:");
            try (ClusterNode survivor = ClusterNode.start(settings, ChatSettings.defaults())) {
                int port = awaitPort(doomed);
                ChatClient wes = survivor.join("lobby", "wes");
                wes.welcome();
                ChatClient catHere = survivor.join("lobby", "cat");
                catHere.welcome();
                assertThat(wes.next("join").get("user").asText()).isEqualTo("cat");

                List<TestClient> onDoomed = new ArrayList<>();
                for (String user : List.of("ann", "bob", "cat")) {
                    TestClient client =
                            TestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/chat/lobby?user=" + user));
                    assertThat(client.expectText()).contains("\"type\":\"welcome\"");
                    onDoomed.add(client);
                }
                assertThat(users(wes, "join", 2)).containsExactlyInAnyOrder("ann", "bob");
                assertThat(users(catHere, "join", 2)).containsExactlyInAnyOrder("ann", "bob");

                long killed = System.nanoTime();
                doomed.toHandle().destroyForcibly(); // SIGKILL: no goodbye
                assertThat(users(wes, "leave", 2)).containsExactlyInAnyOrder("ann", "bob");
                long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
                assertThat(tookMillis)
                        .as("gone within the expiry plus a heartbeat (and slack for a busy machine)")
                        .isLessThan(EXPIRY.plus(HEARTBEAT).toMillis() + 2000);
                assertThat(users(catHere, "leave", 2)).containsExactlyInAnyOrder("ann", "bob");

                ChatClient late = survivor.join("lobby", "lou");
                assertThat(ChatClient.texts(late.welcome().get("members"))).containsExactly("cat", "lou", "wes");
                wes.next("join");
                catHere.next("join");
                survivor.assertNoUnreadEvents();
                onDoomed.forEach(TestClient::abort);
            } finally {
                doomed.destroyForcibly();
            }
        }
    }

    private static Set<String> users(ChatClient client, String type, int count) {
        Set<String> users = new HashSet<>();
        for (int i = 0; i < count; i++) {
            JsonNode node = client.next(type);
            users.add(node.get("user").asText());
        }
        return users;
    }

    private static int awaitPort(Process process) throws Exception {
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread.ofPlatform().daemon().start(() -> out.lines().forEach(ignored -> {}));
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the node ended before saying where it listens");
    }

    /** A node of the product in a process of its own, from this test's class path. */
    private static Process startNode(String redisUri, String prefix) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--io-threads",
                "1",
                "--redis",
                redisUri,
                "--redis-prefix",
                prefix,
                "--node-heartbeat",
                HEARTBEAT.toMillis() + "ms",
                "--node-expiry",
                EXPIRY.toMillis() + "ms"));
        return new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }
}
