/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.chat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.engine.History;
import io.switchboard.json.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The chat's messages on the wire, both ways. Everything the server sends is a JSON object with a
 * {@code type}; everything a client sends is {@code {"message": "..."}}, with {@code "to_user"} for
 * a direct message, or {@code {"type": "ping"}}, which the server answers with {@code {"type":
 * "pong"}} so that a browser, which cannot send WebSocket pings, can tell a live connection from a
 * silently dropped one, or {@code {"type": "history", "since": ID, "epoch": E}} ({@code epoch}
 * optional), answered with a page of the room's kept messages after that id: a welcome carries only the newest messages that fit its byte
 * budget, says {@code "more": true} when older ones are kept, and a client pages through those. Direct
 * messages kept for an absent user come the same way: a page at connect, then {@code
 * {"type":"more_directs"}} when more are kept, which a client answers with {@code {"type":"directs"}}.
 */
final class ChatProtocol {

    private ChatProtocol() {}

    /** What a client's text turned out to be. */
    sealed interface Incoming {}

    /** A message for the whole room. */
    record RoomMessage(String text) implements Incoming {}

    /** A message for every connection of one user. */
    record Direct(String text, String to) implements Incoming {}

    /** A liveness probe from a client: answered with {@link #pong()} and nothing else. */
    record Ping() implements Incoming {}

    /**
     * A request for the kept room messages after {@code since}, as many as fit one page; {@code
     * epoch} (null when not given) names the history {@code since} is a position of.
     */
    record HistoryRequest(long since, String epoch) implements Incoming {}

    /** A request for the next page of direct messages kept while the user was away. */
    record DirectsRequest() implements Incoming {}

    /** Input the server refuses, with the error code and detail to send back. */
    record Invalid(String code, String detail) implements Incoming {}

    /**
     * Reads a client's text: {@code bad_json}, {@code bad_request} or {@code too_long} when it is
     * wrong; an object whose {@code type} is {@code "ping"} is a {@link Ping}, whatever else it holds.
     */
    static Incoming parse(String text, int maxChars) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            return new Invalid("bad_json", "the message is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            return node == null || node.isMissingNode()
                    ? new Invalid("bad_json", "the message is not valid JSON")
                    : new Invalid("bad_request", "expected a JSON object");
        }
        if ("ping".equals(node.path("type").textValue())) {
            return new Ping();
        }
        if ("directs".equals(node.path("type").textValue())) {
            return new DirectsRequest();
        }
        if ("history".equals(node.path("type").textValue())) {
            return historyRequest(node);
        }
        JsonNode message = node.get("message");
        if (message == null || !message.isTextual()) {
            return new Invalid("bad_request", "\"message\" must be a string");
        }
        String body = message.textValue();
        if (body.isEmpty()) {
            return new Invalid("bad_request", "\"message\" is empty");
        }
        if (body.codePointCount(0, body.length()) > maxChars) {
            return new Invalid("too_long", "\"message\" is longer than " + maxChars + " characters");
        }
        JsonNode to = node.get("to_user");
        if (to == null) {
            return new RoomMessage(body);
        }
        if (!to.isTextual()) {
            return new Invalid("bad_request", "\"to_user\" must be a string");
        }
        if (!Names.valid(to.textValue())) {
            return new Invalid("bad_request", "\"to_user\" must be " + Names.RULE);
        }
        return new Direct(body, to.textValue());
    }

    private static Incoming historyRequest(JsonNode node) {
        JsonNode since = node.get("since");
        if (since == null || !since.canConvertToLong() || since.asLong() < 0) {
            return new Invalid("bad_request", "\"since\" must be a message id, 0 or more");
        }
        JsonNode epoch = node.get("epoch");
        if (epoch != null && !epoch.isNull() && !epoch.isTextual()) {
            return new Invalid("bad_request", "\"epoch\" must be a string");
        }
        return new HistoryRequest(since.asLong(), epoch == null ? null : epoch.textValue());
    }

    static String welcome(
            String room, String user, List<String> members, List<String> history, boolean recovered, String epoch) {
        return welcome(room, user, members, history, recovered, epoch, false);
    }

    /**
     * The first message of every connection: who is here, the history (or what was missed since the
     * client's position), whether that recovery is complete, the room's epoch, and whether older
     * messages are kept than the history holds.
     */
    static String welcome(
            String room,
            String user,
            List<String> members,
            List<String> history,
            boolean recovered,
            String epoch,
            boolean more) {
        return write(out -> {
            out.writeStringField("type", "welcome");
            out.writeStringField("room", room);
            out.writeStringField("user", user);
            out.writeArrayFieldStart("members");
            for (String member : members) {
                out.writeString(member);
            }
            out.writeEndArray();
            out.writeArrayFieldStart("history");
            for (String payload : history) {
                out.writeRawValue(payload); // stored as the JSON that was broadcast
            }
            out.writeEndArray();
            out.writeBooleanField("recovered", recovered);
            out.writeStringField("epoch", epoch);
            out.writeBooleanField("more", more);
        });
    }

    /** A page of kept room messages after a position, oldest first; {@code more} when newer ones follow. */
    static String historyPage(String room, List<String> messages, boolean complete, String epoch, boolean more) {
        return write(out -> {
            out.writeStringField("type", "history");
            out.writeStringField("room", room);
            out.writeArrayFieldStart("messages");
            for (String payload : messages) {
                out.writeRawValue(payload);
            }
            out.writeEndArray();
            out.writeBooleanField("complete", complete);
            out.writeStringField("epoch", epoch);
            out.writeBooleanField("more", more);
        });
    }

    static String presence(String type, String room, String user) {
        return write(out -> {
            out.writeStringField("type", type);
            out.writeStringField("room", room);
            out.writeStringField("user", user);
        });
    }

    /**
     * A room message, with holes for the epoch and id that the history fills in as it numbers it:
     * {@code {"type":"message","room":R,"epoch":E,"id":N,"from":U,"message":M,"ts":T}}.
     */
    static History.Template message(String room, String from, String text, long ts) {
        String head = write(out -> {
            out.writeStringField("type", "message");
            out.writeStringField("room", room);
        });
        String tail = write(out -> {
            out.writeStringField("from", from);
            out.writeStringField("message", text);
            out.writeNumberField("ts", ts);
        });
        // Epochs are hexadecimal digits and dashes, so they need no escaping inside the string.
        return new History.Template(
                head.substring(0, head.length() - 1) + ",\"epoch\":\"", "\",\"id\":", "," + tail.substring(1));
    }

    static String direct(String from, String to, String text, long ts) {
        return write(out -> {
            out.writeStringField("type", "direct");
            out.writeStringField("from", from);
            out.writeStringField("to", to);
            out.writeStringField("message", text);
            out.writeNumberField("ts", ts);
        });
    }

    static String pong() {
        return "{\"type\":\"pong\"}";
    }

    /** More direct messages are kept for this user than one page held: ask with {@code {"type":"directs"}}. */
    static String moreDirects() {
        return "{\"type\":\"more_directs\"}";
    }

    static String queued(String to) {
        return write(out -> {
            out.writeStringField("type", "queued");
            out.writeStringField("to", to);
        });
    }

    /**
     * The history could not be read for a history request: the error {@code unavailable}, marked
     * {@code "request":"history"} so that a client tells it from a refusal of what its user sent.
     */
    static String historyUnavailable() {
        return write(out -> {
            out.writeStringField("type", "error");
            out.writeStringField("code", "unavailable");
            out.writeStringField("detail", "the history is unreachable; try again later");
            out.writeStringField("request", "history");
        });
    }

    /** The answer to a message dropped over the rate limit: the error {@code rate_limited}. */
    static String rateLimited() {
        return error("rate_limited", "too many messages: this one was dropped");
    }

    static String error(String code, String detail) {
        return write(out -> {
            out.writeStringField("type", "error");
            out.writeStringField("code", code);
            out.writeStringField("detail", detail);
        });
    }

    private interface Fields {
        void write(JsonGenerator out) throws IOException;
    }

    private static String write(Fields fields) {
        StringWriter text = new StringWriter(128);
        try (JsonGenerator out = Json.mapper().getFactory().createGenerator(text)) {
            out.writeStartObject();
            fields.write(out);
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
