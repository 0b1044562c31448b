/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatProtocolTest {

    private static ChatProtocol.Incoming parse(String text) {
        return ChatProtocol.parse(text, 10);
    }

    @Test
    void roomAndDirectMessages() {
        assertThat(parse("{\"message\":\"hi\"}")).isEqualTo(new ChatProtocol.RoomMessage("hi"));
        assertThat(parse("{\"message\":\"hi\",\"to_user\":\"bob\"}")).isEqualTo(new ChatProtocol.Direct("hi", "bob"));
        assertThat(parse("{\"message\":\"hi\",\"from\":\"mallory\"}")).isEqualTo(new ChatProtocol.RoomMessage("hi"));
    }

    @Test
    void pingsAreTheirOwnKind() {
        assertThat(parse("{\"type\":\"ping\"}")).isEqualTo(new ChatProtocol.Ping());
        assertThat(parse("{\"type\":\"ping\",\"message\":\"hi\"}")).isEqualTo(new ChatProtocol.Ping());
        assertThat(parse("{\"type\":\"pong\"}")).isInstanceOf(ChatProtocol.Invalid.class);
        assertThat(parse("{\"type\":\"other\",\"message\":\"hi\"}")).isEqualTo(new ChatProtocol.RoomMessage("hi"));
        assertThat(Json.read(ChatProtocol.pong(), JsonNode.class).get("type").asText())
                .isEqualTo("pong");
    }

    @Test
    void unparsableTextIsBadJson() {
        for (String text : List.of("", "{", "nope", "{\"message\":\"hi\"} trailing", "{\"message\":}")) {
            assertThat(parse(text))
                    .as(text)
                    .isInstanceOf(ChatProtocol.Invalid.class)
                    .extracting(i -> ((ChatProtocol.Invalid) i).code())
                    .isEqualTo("bad_json");
        }
    }

    @Test
    void wrongShapesAreBadRequests() {
        for (String text : List.of(
                "[]",
                "42",
                "\"text\"",
                "null",
                "{}",
                "{\"message\":7}",
                "{\"message\":null}",
                "{\"message\":\"\"}",
                "{\"message\":\"hi\",\"to_user\":5}",
                "{\"message\":\"hi\",\"to_user\":null}",
                "{\"message\":\"hi\",\"to_user\":\"no spaces\"}",
                "{\"message\":[\"hi\"]}")) {
            assertThat(parse(text))
                    .as(text)
                    .isInstanceOf(ChatProtocol.Invalid.class)
                    .extracting(i -> ((ChatProtocol.Invalid) i).code())
                    .isEqualTo("bad_request");
        }
    }

    @Test
    void lengthIsCountedInCharactersNotBytesOrUnits() {
        assertThat(parse("{\"message\":\"" + "é".repeat(10) + "\"}")).isInstanceOf(ChatProtocol.RoomMessage.class);
        assertThat(parse("{\"message\":\"" + "😀".repeat(10) + "\"}")).isInstanceOf(ChatProtocol.RoomMessage.class);
        assertThat(parse("{\"message\":\"" + "x".repeat(11) + "\"}"))
                .isEqualTo(new ChatProtocol.Invalid("too_long", "\"message\" is longer than 10 characters"));
    }

    @Test
    void welcomeEmbedsStoredMessagesAsJson() {
        String stored =
                ChatProtocol.message("lobby", "ann", "<b>hi</b> \"quoted\"", 5).fill("e1", 1);
        JsonNode welcome = Json.read(
                ChatProtocol.welcome("lobby", "bob", List.of("ann", "bob"), List.of(stored), true, "e1"),
                JsonNode.class);
        assertThat(welcome.get("type").asText()).isEqualTo("welcome");
        assertThat(welcome.get("members")).hasSize(2);
        assertThat(welcome.get("history").get(0).get("message").asText()).isEqualTo("<b>hi</b> \"quoted\"");
        assertThat(welcome.get("recovered").asBoolean()).isTrue();
    }

    @Test
    void aRoomMessageCarriesItsEpochAndId() {
        JsonNode message = Json.read(
                ChatProtocol.message("lobby", "ann", "a \"quoted\" {hole}", 5).fill("0a1b-c2", 42), JsonNode.class);
        assertThat(message.get("type").asText()).isEqualTo("message");
        assertThat(message.get("room").asText()).isEqualTo("lobby");
        assertThat(message.get("epoch").asText()).isEqualTo("0a1b-c2");
        assertThat(message.get("id").asLong()).isEqualTo(42);
        assertThat(message.get("from").asText()).isEqualTo("ann");
        assertThat(message.get("message").asText()).isEqualTo("a \"quoted\" {hole}");
        assertThat(message.get("ts").asLong()).isEqualTo(5);
    }
}
