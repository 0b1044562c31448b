/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.Fuzz;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Generated and mutated JSON for a record of every common shape: reading gives a value or the
 * documented {@link JsonException} with a one-line message, never another exception; values written
 * by {@link Json#write} read back equal.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JsonFuzzTest {

    enum Kind {
        JOIN,
        LEAVE,
        SAY
    }

    record Inner(String name, List<Integer> values) {}

    record Message(
            Kind kind,
            String room,
            String text,
            int seq,
            long at,
            double score,
            boolean urgent,
            Character initial,
            List<String> tags,
            Map<String, Integer> counts,
            Inner inner) {}

    /** A record that checks itself: a bad value must come out as a JsonException too. */
    record Checked(String room, int seq) {
        Checked {
            if (room == null || room.isBlank()) {
                throw new IllegalArgumentException("a room needs a name");
            }
            if (seq < 0) {
                throw new IllegalStateException("seq must not be negative");
            }
        }
    }

    private static final String JSON_CHARS = "{}[]\":,0123456789.eE+-truefalsn \\u/bntxé\u0000\ud83d\t\n";

    @Test
    void writtenValuesReadBackEqual() {
        Fuzz.check(21L, 10_000, JsonFuzzTest::message, message -> {
            String json = Json.write(message);
            assertThat(Json.read(json, Message.class)).isEqualTo(message);
        });
    }

    @Test
    void mutatedJsonReadsOrFailsWithAJsonException() {
        Fuzz.check(22L, 15_000, random -> mutate(random, Json.write(message(random))), text -> {
            readOrJsonException(text, Message.class);
            readOrJsonException(text, Checked.class);
        });
    }

    @Test
    void randomJsonValuesReadOrFailWithAJsonException() {
        Fuzz.check(23L, 8_000, random -> Json.write(value(random, 0)), text -> {
            readOrJsonException(text, Message.class);
            readOrJsonException(text, Checked.class);
            readOrJsonException(text, Inner.class);
        });
    }

    @Test
    void randomTextReadsOrFailsWithAJsonException() {
        Fuzz.check(24L, 20_000, random -> Fuzz.string(random, JSON_CHARS, 30), text -> {
            readOrJsonException(text, Message.class);
            readOrJsonException(text, Checked.class);
        });
    }

    @Test
    void inputBeyondTheParsersBoundsIsAJsonException() {
        String deep = "[".repeat(5_000) + "]".repeat(5_000);
        assertThatThrownBy(() -> Json.read("{\"tags\":" + deep + "}", Message.class))
                .isInstanceOf(JsonException.class);
        String longNumber = "1".repeat(5_000);
        assertThatThrownBy(() -> Json.read("{\"seq\":" + longNumber + "}", Message.class))
                .isInstanceOf(JsonException.class);
        assertThatThrownBy(() -> Json.read("{\"score\":1e99999999999}", Message.class))
                .isInstanceOf(JsonException.class);
        assertThatThrownBy(() -> Json.read("{\"room\":\" \",\"seq\":1}", Checked.class))
                .isInstanceOf(JsonException.class)
                .hasMessageContaining("a room needs a name");
    }

    private static void readOrJsonException(String text, Class<?> type) {
        try {
            Json.read(text, type);
        } catch (JsonException expected) {
            assertThat(expected.getMessage()).isNotBlank().doesNotContain("\n");
        }
    }

    private static Message message(Random random) {
        return new Message(
                random.nextInt(5) == 0 ? null : Fuzz.pick(random, Kind.values()),
                random.nextInt(5) == 0 ? null : string(random),
                string(random),
                random.nextInt(),
                random.nextLong(),
                Fuzz.pick(
                        random,
                        0.0,
                        -0.0,
                        1.5,
                        Double.MAX_VALUE,
                        Double.MIN_VALUE,
                        random.nextDouble() * 1e6,
                        Double.NaN,
                        Double.NEGATIVE_INFINITY),
                random.nextBoolean(),
                random.nextInt(3) == 0 ? null : (char) ('a' + random.nextInt(26)),
                random.nextInt(4) == 0 ? null : strings(random),
                random.nextInt(4) == 0 ? null : counts(random),
                random.nextInt(3) == 0 ? null : new Inner(string(random), ints(random)));
    }

    private static String string(Random random) {
        String text = Fuzz.string(random, "ab \"\\/\u0000\n\t\u00e9\u20ac{}[]", 12);
        return random.nextInt(6) == 0 ? text + "\ud83d\ude00" : text;
    }

    private static List<String> strings(Random random) {
        List<String> list = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            list.add(string(random));
        }
        return list;
    }

    private static List<Integer> ints(Random random) {
        List<Integer> list = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            list.add(random.nextInt());
        }
        return list;
    }

    private static Map<String, Integer> counts(Random random) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            map.put(string(random), random.nextInt());
        }
        return map;
    }

    /** Any JSON value, with the record's field names as likely keys. */
    private static Object value(Random random, int depth) {
        int choice = random.nextInt(depth > 3 ? 6 : 8);
        return switch (choice) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> Fuzz.pick(random, random.nextInt(), random.nextLong(), Long.MIN_VALUE, -1, 0);
            case 3 -> Fuzz.pick(random, random.nextDouble(), 1e300, -1e-300, 2.5);
            case 4 -> Fuzz.pick(random, "JOIN", "say", "", "a", "\u0000", "12", "1e3", "true", "NaN", "x\ud83d");
            case 5 -> string(random);
            case 6 -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(value(random, depth + 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(6); i > 0; i--) {
                    String key = Fuzz.pick(
                            random, "kind", "room", "text", "seq", "at", "score", "urgent", "initial", "tags", "counts",
                            "inner", "name", "values", "other");
                    map.put(key, value(random, depth + 1));
                }
                yield map;
            }
        };
    }

    /** {@code json} with one to four characters inserted, replaced or deleted, or cut short. */
    private static String mutate(Random random, String json) {
        StringBuilder text = new StringBuilder(json);
        if (random.nextInt(10) == 0) {
            return text.substring(0, random.nextInt(text.length() + 1));
        }
        for (int edits = 1 + random.nextInt(4); edits > 0; edits--) {
            int at = random.nextInt(text.length() + 1);
            char c = JSON_CHARS.charAt(random.nextInt(JSON_CHARS.length()));
            switch (random.nextInt(3)) {
                case 0 -> text.insert(at, c);
                case 1 -> {
                    if (at < text.length()) {
                        text.setCharAt(at, c);
                    }
                }
                default -> {
                    if (at < text.length()) {
                        text.deleteCharAt(at);
                    }
                }
            }
        }
        return text.toString();
    }
}
