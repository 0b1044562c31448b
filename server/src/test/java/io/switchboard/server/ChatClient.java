/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.json.Json;
import io.switchboard.testkit.ClientEvent;
import io.switchboard.testkit.TestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A chat connection in a test: sends the chat's JSON and reads what the server sends as JSON trees. */
final class ChatClient {

    final TestClient socket;
    final String user;

    ChatClient(TestClient socket, String user) {
        this.socket = socket;
        this.user = user;
    }

    void say(String text) {
        socket.sendJson(Map.of("message", text));
    }

    void tell(String to, String text) {
        socket.sendJson(Map.of("message", text, "to_user", to));
    }

    JsonNode next() {
        return Json.read(socket.expectText(), JsonNode.class);
    }

    /** The next message, waiting up to {@code wait}. */
    JsonNode next(java.time.Duration wait) {
        return Json.read(socket.expectText(wait), JsonNode.class);
    }

    /** Fails if a message arrives soon. */
    void expectNothing() {
        socket.expectNothing(java.time.Duration.ofMillis(200));
    }

    /** How many messages wait unread. */
    int pending() {
        return socket.pending();
    }

    /** The next message must have {@code type}; returns it. */
    JsonNode next(String type) {
        JsonNode node = next();
        assertThat(node.path("type").asText()).as("type of " + node).isEqualTo(type);
        return node;
    }

    JsonNode welcome() {
        return next("welcome");
    }

    /**
     * Closes and reads up to the close, passing over joins and leaves: the server tells a room that
     * someone left after that someone saw its own close, so the next joiner may still hear of it.
     */
    void closeAmidPresence() {
        socket.close();
        while (true) {
            ClientEvent event = socket.nextEvent();
            if (event instanceof ClientEvent.Closed) {
                return;
            }
            String type = event instanceof ClientEvent.Text text
                    ? Json.read(text.text(), JsonNode.class).path("type").asText()
                    : "";
            assertThat(type).as("what " + user + " got while closing: " + event).isIn("join", "leave");
        }
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node ->
                out.add(node.isTextual() ? node.asText() : node.path("message").asText()));
        return out;
    }

    static List<Long> ids(Iterable<JsonNode> array) {
        List<Long> out = new ArrayList<>();
        array.forEach(node -> out.add(node.path("id").asLong()));
        return out;
    }
}
