/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared mapper: records both ways, unknown fields ignored, and one-line errors. */
class JsonTest {

    record Chat(String room, String text, int seq) {}

    record Counter(int n) {}

    @Test
    void recordsAreWrittenInComponentOrder() {
        assertThat(Json.write(new Chat("lobby", "hi", 3))).isEqualTo("{\"room\":\"lobby\",\"text\":\"hi\",\"seq\":3}");
    }

    @Test
    void mapsListsAndPlainValuesAreWritten() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", 1);
        map.put("b", List.of("x", "y"));

        assertThat(Json.write(map)).isEqualTo("{\"a\":1,\"b\":[\"x\",\"y\"]}");
        assertThat(Json.write("é\"")).isEqualTo("\"é\\\"\"");
        assertThat(Json.write(null)).isEqualTo("null");
    }

    @Test
    void aValueThatCannotBeWrittenFailsNamingItsClass() {
        assertThatThrownBy(() -> Json.write(new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot write java.lang.Object as JSON");
    }

    @Test
    void recordsAreReadAndUnknownFieldsIgnored() {
        Chat chat = Json.read("{\"room\":\"lobby\",\"text\":\"hi\",\"seq\":3,\"extra\":{\"x\":1}}", Chat.class);

        assertThat(chat).isEqualTo(new Chat("lobby", "hi", 3));
        assertThat(Json.read(Json.write(chat), Chat.class)).isEqualTo(chat);
    }

    @Test
    void theJsonLiteralNullReadsAsNull() {
        assertThat(Json.read("null", Chat.class)).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "not json",
                "{",
                "{\"room\": }",
                "[1, 2]",
                "{\"n\": \"seven\"}",
                "{\"n\": null}",
                "{\"n\": 1} {\"n\": 2}",
                "{\"n\": 1}\n\n{\n\"n\": 2\n}",
                "{\"n\":\n1,\n\"n\"\n:\nx}"
            })
    void badOrMismatchedJsonFailsWithAOneLineMessage(String text) {
        assertThatThrownBy(() -> Json.read(text, Counter.class))
                .isInstanceOf(JsonException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).isNotBlank().doesNotContain("\n").doesNotContain("\r");
                    assertThat(e.getMessage().length()).isLessThanOrEqualTo(200);
                    assertThat(e.getCause()).isNotNull();
                });
    }

    @Test
    void theMessageSaysWhatIsWrong() {
        assertThatThrownBy(() -> Json.read("{\"n\": null}", Counter.class))
                .isInstanceOf(JsonException.class)
                .hasMessageContaining("null");
        assertThatThrownBy(() -> Json.read("{\"n\": 1} {\"n\": 2}", Counter.class))
                .isInstanceOf(JsonException.class)
                .hasMessageContaining("Trailing token");
    }

    @Test
    void aHugeInputIsNotEchoedInFull() {
        String huge = "{\"n\": \"" + "x".repeat(100_000) + "\"}";

        assertThatThrownBy(() -> Json.read(huge, Counter.class))
                .isInstanceOf(JsonException.class)
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThanOrEqualTo(200));
        String token = "y".repeat(10_000);
        assertThatThrownBy(() -> Json.read(token, Counter.class))
                .isInstanceOf(JsonException.class)
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThanOrEqualTo(200));
    }

    @Test
    void theMapperIsShared() {
        assertThat(Json.mapper()).isSameAs(Json.mapper());
    }

    @Test
    void aJsonExceptionKeepsItsMessageAndCause() {
        IllegalStateException cause = new IllegalStateException("inner");
        JsonException e = new JsonException("expected a JSON value, got null", cause);

        assertThat(e).hasMessage("expected a JSON value, got null").hasCause(cause);
        assertThat(new JsonException("no cause", null).getCause()).isNull();
    }
}
