/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.json.Json;
import io.switchboard.json.JsonException;
import io.switchboard.session.JsonHandler;
import io.switchboard.session.Session;
import io.switchboard.testkit.Communicator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thousands of mutated messages to a JSON handler, through the communicator: every one is answered
 * with the decoded value or, through the handler's hook for undecodable text, its {@code bad_json}
 * error, and the session stays open. Seeded
 * ({@code -Dswitchboard.fuzz.seed=N} for another run).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JsonHandlerFuzzTest {

    record Order(String item, int quantity, List<String> notes) {}

    /** Echoes each order it could read, and answers the rest with an error. */
    static final class Echo extends JsonHandler<Order> {
        Echo() {
            super(Order.class);
        }

        @Override
        protected void onJson(Session session, Order order) {
            session.sendJson(order);
        }

        @Override
        protected void onInvalidJson(Session session, JsonException error) {
            session.sendJson(Map.of("code", "bad_json", "detail", error.getMessage()));
        }
    }

    private static final String JSON_CHARS = "{}[]\":,0123456789.eE+-truefalsn \\u/x\u00e9\u0000\ud83d";

    @Test
    void everyMessageIsReadOrAnsweredWithBadJson() {
        long seed = Long.getLong("switchboard.fuzz.seed", 31L);
        Random random = new Random(seed);
        String valid = Json.write(new Order("tea", 2, List.of("hot", "no sugar")));
        try (Communicator client = Communicator.of(Echo::new, "/ws/orders")) {
            client.connectAccepted();
            for (int i = 0; i < 3_000; i++) {
                String text = mutate(random, valid);
                client.sendText(text);
                Map<?, ?> reply = client.receiveJson(Map.class);
                if (!"bad_json".equals(reply.get("code"))) {
                    Order echoed = Json.read(Json.write(reply), Order.class);
                    assertThat(echoed)
                            .as("case %d of seed %d: %s", i, seed, text)
                            .isEqualTo(Json.read(text, Order.class));
                } else {
                    assertThat((String) reply.get("detail")).isNotBlank().doesNotContain("\n");
                }
                assertThat(client.session().isOpen()).isTrue();
            }
        }
    }

    private static String mutate(Random random, String json) {
        StringBuilder text = new StringBuilder(json);
        if (random.nextInt(10) == 0) {
            return text.substring(0, random.nextInt(text.length() + 1));
        }
        for (int edits = random.nextInt(4); edits > 0; edits--) {
            int at = random.nextInt(text.length() + 1);
            char c = JSON_CHARS.charAt(random.nextInt(JSON_CHARS.length()));
            if (random.nextBoolean() || at == text.length()) {
                text.insert(at, c);
            } else {
                text.setCharAt(at, c);
            }
        }
        return text.toString();
    }
}
