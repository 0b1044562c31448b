/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.channels.Channels;
import io.switchboard.engine.InMemoryHistory;
import io.switchboard.json.Json;
import io.switchboard.testkit.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mangled bodies for every method (cut short, bytes flipped, values swapped for others of another
 * type), with a fixed seed: each gets a JSON reply with a result or an error (never an internal
 * one), 200 or 400, and the server keeps answering.
 */
class ServerApiFuzzTest {

    private static final List<String> METHODS = List.of(
            "publish",
            "broadcast",
            "subscribe",
            "unsubscribe",
            "disconnect",
            "presence",
            "presence_stats",
            "history",
            "history_remove",
            "channels",
            "info",
            "batch");

    private static final List<String> BODIES = List.of(
            "{\"channel\":\"news\",\"data\":{\"text\":\"hi\"},\"tags\":{\"k\":\"v\"},\"skip_history\":true}",
            "{\"channels\":[\"a\",\"b\"],\"data\":[1,2,3]}",
            "{\"channel\":\"news\",\"user\":\"ann\",\"client\":\"c1\"}",
            "{\"user\":\"ann\",\"disconnect\":{\"code\":4000,\"reason\":\"bye\"}}",
            "{\"channel\":\"news\",\"limit\":10,\"since\":{\"offset\":4,\"epoch\":\"e\"},\"reverse\":true}",
            "{\"pattern\":\"n*\"}",
            "{\"commands\":[{\"publish\":{\"channel\":\"a\",\"data\":1}},{\"info\":{}}],\"parallel\":false}");

    private static final List<String> VALUES = List.of(
            "null", "true", "-1", "1e400", "\"\"", "[]", "{}", "\"\\u0000\"", "[[[[[]]]]]", "9223372036854775808");

    @Test
    void everyMangledBodyGetsAJsonReply() {
        try (TestServer server = TestServer.start(new ServerApi(new ScriptedChannels(), ApiKey.of("k")).router())) {
            fuzz(server, new Random(13));
        }
    }

    @Test
    void theRealChannelsToo() {
        try (Channels channels =
                        Channels.builder().history(new InMemoryHistory()).build();
                TestServer server = TestServer.start(new ServerApi(channels, ApiKey.of("k")).router())) {
            channels.start(server.server());
            fuzz(server, new Random(29));
        }
    }

    private static void fuzz(TestServer server, Random random) {
        for (int i = 0; i < 400; i++) {
            String method = METHODS.get(random.nextInt(METHODS.size()));
            String body = mangle(BODIES.get(random.nextInt(BODIES.size())), random);

            HttpResponse<String> response = ServerApiTest.post(server, method, body, "X-API-Key", "k");

            assertThat(response.statusCode()).as("%s %s", method, body).isIn(200, 400);
            JsonNode reply = Json.read(response.body(), JsonNode.class);
            assertThat(reply.has("result") ^ reply.has("error") ^ reply.has("replies"))
                    .as("%s %s", method, body)
                    .isTrue();
            assertThat(reply.path("error").path("code").asInt())
                    .as("no internal error for %s %s", method, body)
                    .isNotEqualTo(100);
        }
        assertThat(ServerApiTest.post(server, "info", "{}", "X-API-Key", "k").statusCode())
                .isEqualTo(200);
    }

    private static String mangle(String body, Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> body.substring(0, random.nextInt(body.length()));
            case 1 -> {
                char[] chars = body.toCharArray();
                chars[random.nextInt(chars.length)] = (char) random.nextInt(128);
                yield new String(chars);
            }
            case 2 -> body.replaceFirst(":(\"[^\"]*\"|\\d+|true)", ":" + VALUES.get(random.nextInt(VALUES.size())));
            default ->
                body.replace(
                        "{",
                        "{\"" + (char) ('a' + random.nextInt(26)) + "\":" + VALUES.get(random.nextInt(VALUES.size()))
                                + ",");
        };
    }
}
