/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.channels.ChannelsApi.ClientInfo;
import io.switchboard.engine.History;
import io.switchboard.json.Json;
import java.util.Map;

/**
 * The JSON text of replies and pushes, written by hand where it is on a hot path: a publication is
 * one {@link History.Template} whose stored payload is the push frame itself, so a history reply or
 * a recovery slices the {@code pub} object out of the stored frames instead of re-encoding them.
 */
final class Wire {

    private static final String EPOCH_FIELD = ",\"epoch\":\"";
    private static final String OFFSET_FIELD = "\",\"offset\":";

    private Wire() {}

    /** {@code value} as a JSON string. */
    static String quote(String value) {
        return Json.write(value);
    }

    /** {@code {"id":N,"method":result}}. */
    static String reply(long id, String method, String result) {
        return "{\"id\":" + id + ",\"" + method + "\":" + result + "}";
    }

    /** {@code {"id":N,"error":{"code":..,"message":..}}}, with {@code temporary} when a retry may work. */
    static String error(long id, ErrorCode code, boolean temporary) {
        String error = "{\"code\":" + code.code() + ",\"message\":" + quote(code.message())
                + (temporary ? ",\"temporary\":true}" : "}");
        return id > 0 ? "{\"id\":" + id + ",\"error\":" + error + "}" : "{\"error\":" + error + "}";
    }

    /** A push of {@code kind} ({@code join}, {@code unsubscribe}...) about {@code channel}. */
    static String push(String channel, String kind, String body) {
        return "{\"push\":{\"channel\":" + quote(channel) + ",\"" + kind + "\":" + body + "}}";
    }

    /** An asynchronous message to one client (the {@code message} push). */
    static String message(String data) {
        return "{\"push\":{\"message\":{\"data\":" + data + "}}}";
    }

    /** {@code {"user":..,"client":..,"conn_info":..,"chan_info":..}}. */
    static String clientInfo(ClientInfo info) {
        StringBuilder out = new StringBuilder(64)
                .append("{\"user\":")
                .append(quote(info.user()))
                .append(",\"client\":")
                .append(quote(info.client()));
        if (info.connInfo() != null) {
            out.append(",\"conn_info\":").append(Json.write(info.connInfo()));
        }
        if (info.chanInfo() != null) {
            out.append(",\"chan_info\":").append(Json.write(info.chanInfo()));
        }
        return out.append('}').toString();
    }

    /**
     * The stored and broadcast frame of a publication kept in the history: {@code
     * {"push":{"channel":C,"pub":{"data":D,...,"epoch":"E","offset":N}}}}, E and N filled by the history.
     */
    static History.Template publication(String channel, String data, ClientInfo info, Map<String, String> tags) {
        String head = pubPrefix(channel) + "{" + pubFields(data, info, tags) + EPOCH_FIELD;
        return new History.Template(head, OFFSET_FIELD, "}}}");
    }

    /** The frame of a publication that is not kept: no epoch, no offset. */
    static String unkeptPublication(String channel, String data, ClientInfo info, Map<String, String> tags) {
        return pubPrefix(channel) + "{" + pubFields(data, info, tags) + "}}}";
    }

    private static String pubPrefix(String channel) {
        return "{\"push\":{\"channel\":" + quote(channel) + ",\"pub\":";
    }

    private static String pubFields(String data, ClientInfo info, Map<String, String> tags) {
        StringBuilder out =
                new StringBuilder(data.length() + 16).append("{\"data\":").append(data);
        if (info != null) {
            out.append(",\"info\":").append(clientInfo(info));
        }
        if (!tags.isEmpty()) {
            out.append(",\"tags\":").append(Json.write(tags));
        }
        return out.substring(1);
    }

    /** The {@code pub} object of a stored publication frame of {@code channel}. */
    static String pubOf(String channel, String frame) {
        return frame.substring(pubPrefix(channel).length(), frame.length() - 2);
    }

    /** The epoch a stored publication frame was numbered under. */
    static String epochOf(String frame) {
        int start = frame.lastIndexOf(EPOCH_FIELD) + EPOCH_FIELD.length();
        return frame.substring(start, frame.lastIndexOf(OFFSET_FIELD));
    }

    /**
     * A kept or unkept publication frame that stood in for {@code skipped} older values of its key,
     * with {@code "conflated":"N"} added to its tags (as a string, like every tag); any other frame
     * as it is.
     */
    static String conflated(String frame, int skipped) {
        JsonNode root = Json.read(frame, JsonNode.class);
        if (!(root.path("push").path("pub") instanceof ObjectNode pub)) {
            return frame;
        }
        JsonNode epoch = pub.remove("epoch");
        JsonNode offset = pub.remove("offset");
        JsonNode tags = pub.get("tags");
        ObjectNode withCount = tags instanceof ObjectNode existing ? existing : pub.putObject("tags");
        withCount.put("conflated", Integer.toString(skipped));
        if (epoch != null) { // the position stays last, where publicationOffset reads it
            pub.set("epoch", epoch);
        }
        if (offset != null) {
            pub.set("offset", offset);
        }
        return Json.write(root);
    }

    /**
     * The offset of a kept publication's frame (the history numbers it last, before the closing
     * braces), or -1 for any other frame: a publication not kept, a join push. Cheap: no parsing.
     */
    static long publicationOffset(String frame) {
        int end = frame.length() - 3;
        if (end <= 0 || !frame.startsWith("}}}", end)) {
            return -1;
        }
        return digitsBefore(frame, end);
    }

    /** The offset a subscribe result stands at (its position comes last), or -1 when it has none. */
    static long offsetOf(String result) {
        int at = result.lastIndexOf(OFFSET_FIELD);
        if (at < 0) {
            return -1;
        }
        int start = at + OFFSET_FIELD.length();
        int end = start;
        while (end < result.length() && Character.isDigit(result.charAt(end))) {
            end++;
        }
        return end == start ? -1 : Long.parseLong(result, start, end, 10);
    }

    /** The number that ends at {@code end} right after {@link #OFFSET_FIELD}, or -1. */
    private static long digitsBefore(String frame, int end) {
        int start = end;
        while (start > 0 && Character.isDigit(frame.charAt(start - 1))) {
            start--;
        }
        if (start == end || !frame.startsWith(OFFSET_FIELD, start - OFFSET_FIELD.length())) {
            return -1;
        }
        return Long.parseLong(frame, start, end, 10);
    }
}
