/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.json.Json;
import io.switchboard.security.TokenIssuer;
import io.switchboard.testkit.RedisServer;
import io.switchboard.testkit.TestClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code serve} with channels end to end: a backend publishes with the real {@code curl} (the JDK's
 * HTTP client where there is none) and a subscriber connected over the client protocol receives it,
 * on one node and across two nodes on Redis.
 */
class ServeChannelsApiTest {

    static final String SECRET = "a-serve-secret-of-at-least-32-bytes!!";
    static final String KEY = "serve-api-key";
    static final Path CURL = Path.of("/usr/bin/curl");

    private static Running start(String... more) {
        List<String> args = new java.util.ArrayList<>(
                List.of("--port", "0", "--api-key", KEY, "--jwt-secret", SECRET, "--drain-timeout", "500ms"));
        args.addAll(List.of(more));
        Resolved settings = ServeChannelsTest.resolve(Map.of(), args.toArray(String[]::new));
        return Running.start(settings, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    /** A client protocol connection as {@code user}, subscribed to {@code channel}. */
    private static TestClient subscriber(Running node, String user, String channel) {
        TestClient client =
                TestClient.connect(URI.create("ws://127.0.0.1:" + node.server().port() + "/connection/websocket"));
        String token = TokenIssuer.hmac(SECRET.getBytes(StandardCharsets.UTF_8))
                .issue(user, Clock.systemUTC().instant(), Duration.ofHours(1), Map.of());
        client.sendText("{\"id\":1,\"connect\":{\"token\":" + Json.write(token) + "}}");
        assertThat(client.expectText()).contains("\"id\":1").contains("\"connect\":");
        client.sendText("{\"id\":2,\"subscribe\":{\"channel\":" + Json.write(channel) + "}}");
        assertThat(client.expectText()).contains("\"id\":2").contains("\"subscribe\":");
        return client;
    }

    /** The first publication pushed to {@code client}, skipping join pushes. */
    private static String nextPublication(TestClient client) {
        for (int i = 0; i < 10; i++) {
            String text = client.expectText();
            if (text.contains("\"pub\":")) {
                return text;
            }
        }
        throw new AssertionError("no publication among the first 10 pushes");
    }

    /** {@code curl -H "X-API-Key: K" -d BODY http://127.0.0.1:PORT/api/METHOD}, as the README shows it. */
    static String curl(int port, String key, String method, String body) throws IOException, InterruptedException {
        String url = "http://127.0.0.1:" + port + "/api/" + method;
        if (!Files.isExecutable(CURL)) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .header("X-API-Key", key)
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            return HttpClient.newHttpClient()
                    .send(request, HttpResponse.BodyHandlers.ofString())
                    .body();
        }
        Process curl = new ProcessBuilder(
                        CURL.toString(), "-sS", "--max-time", "10", "-H", "X-API-Key: " + key, "-d", body, url)
                .redirectErrorStream(true)
                .start();
        try {
            if (!curl.waitFor(15, TimeUnit.SECONDS)) {
                throw new AssertionError("curl did not finish in 15 s");
            }
            return new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            curl.destroyForcibly();
        }
    }

    @Test
    void aCurlPublishReachesASubscriberAndIsInTheHistory() throws Exception {
        try (Running node = start();
                TestClient ann = subscriber(node, "ann", "news")) {
            int port = node.server().port();

            String published = curl(port, KEY, "publish", "{\"channel\":\"news\",\"data\":{\"text\":\"hi\"}}");

            assertThat(published).startsWith("{\"result\":{\"offset\":1,\"epoch\":");
            assertThat(nextPublication(ann)).contains("\"channel\":\"news\"").contains("{\"text\":\"hi\"}");
            assertThat(curl(port, KEY, "history", "{\"channel\":\"news\",\"limit\":10}"))
                    .contains("\"publications\":[{\"data\":{\"text\":\"hi\"}")
                    .contains("\"offset\":1");
            assertThat(curl(port, KEY, "presence_stats", "{\"channel\":\"news\"}"))
                    .isEqualTo("{\"result\":{\"num_clients\":1,\"num_users\":1}}");
        }
    }

    @Test
    void aWrongKeyIsRefusedAndPublishesNothing() throws Exception {
        try (Running node = start();
                TestClient ann = subscriber(node, "ann", "news")) {
            int port = node.server().port();

            assertThat(curl(port, "not-the-key", "publish", "{\"channel\":\"news\",\"data\":1}"))
                    .isEqualTo("Unauthorized");
            curl(port, KEY, "publish", "{\"channel\":\"news\",\"data\":2}");

            assertThat(nextPublication(ann)).contains("\"data\":2");
        }
    }

    @Test
    void aNamespaceFromTheConfigFileAppliesToTheApi(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path config = dir.resolve("switchboard.properties");
        Files.writeString(config, "namespace.ticker.history-size=1\nnamespace.ticker.recovery=false\n");
        try (Running node = start("--config", config.toString())) {
            int port = node.server().port();
            curl(port, KEY, "publish", "{\"channel\":\"ticker:A\",\"data\":1}");
            curl(port, KEY, "publish", "{\"channel\":\"ticker:A\",\"data\":2}");

            assertThat(curl(port, KEY, "history", "{\"channel\":\"ticker:A\",\"limit\":10}"))
                    .as("one publication kept")
                    .contains("\"publications\":[{\"data\":2,\"offset\":2}]");
            assertThat(curl(port, KEY, "publish", "{\"channel\":\"nope:A\",\"data\":1}"))
                    .isEqualTo("{\"error\":{\"code\":102,\"message\":\"unknown channel\"}}");
        }
    }

    @Test
    void onTwoNodesOnRedisAPublishOnOneReachesASubscriberOfTheOther() throws Exception {
        try (RedisServer redis = RedisServer.start();
                Running a = start("--redis", redis.uri(), "--redis-prefix", "api-test:");
                Running b = start("--redis", redis.uri(), "--redis-prefix", "api-test:");
                TestClient ann = subscriber(a, "ann", "news")) {

            String published =
                    curl(b.server().port(), KEY, "publish", "{\"channel\":\"news\",\"data\":{\"text\":\"across\"}}");

            assertThat(published).startsWith("{\"result\":{\"offset\":1,");
            assertThat(nextPublication(ann)).contains("{\"text\":\"across\"}");
            assertThat(curl(a.server().port(), KEY, "history", "{\"channel\":\"news\",\"limit\":1}"))
                    .contains("{\"text\":\"across\"}");
        }
    }
}
