/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.channels.ChannelsApi.Disconnect;
import io.switchboard.channels.ChannelsApi.StreamPosition;
import io.switchboard.channels.ChannelsException;
import io.switchboard.channels.ErrorCode;
import java.util.List;
import java.util.Map;

/**
 * The request bodies of the server API, by Centrifugo's field names (in snake case on the wire).
 * Fields Centrifugo has and Switchboard does not use ({@code b64data}, {@code idempotency_key},
 * {@code info}, {@code session}, ...) are ignored. Each {@code check} fails with a bad request naming
 * the missing field.
 */
final class Requests {

    private Requests() {}

    /** {@code publish}: {@code data} is any JSON value, required. */
    record Publish(String channel, JsonNode data, Map<String, String> tags, boolean skipHistory) {
        Publish check() {
            required("channel", channel);
            if (data == null) {
                throw missing("data");
            }
            checkTags(tags);
            return this;
        }
    }

    /** {@code broadcast}: the same publication to each of {@code channels}. */
    record Broadcast(List<String> channels, JsonNode data, Map<String, String> tags, boolean skipHistory) {
        Broadcast check() {
            if (channels == null || channels.isEmpty()) {
                throw missing("channels");
            }
            channels.forEach(channel -> required("channels[]", channel));
            if (data == null) {
                throw missing("data");
            }
            checkTags(tags);
            return this;
        }
    }

    /** {@code subscribe} and {@code unsubscribe}: a user's connections (or one of them) and a channel. */
    record Subscription(String channel, String user, String client) {
        Subscription check() {
            required("channel", channel);
            required("user", user);
            return this;
        }
    }

    /** {@code disconnect}: a user's connections (or one of them), and why (optional). */
    record DisconnectUser(String user, String client, Disconnect disconnect) {
        DisconnectUser check() {
            required("user", user);
            return this;
        }
    }

    /** {@code presence}, {@code presence_stats} and {@code history_remove}: one channel. */
    record Channel(String channel) {
        Channel check() {
            required("channel", channel);
            return this;
        }
    }

    /** {@code history}: no {@code limit} (or 0) returns only the stream's position, a negative one all kept. */
    record History(String channel, Integer limit, StreamPosition since, boolean reverse) {
        History check() {
            required("channel", channel);
            return this;
        }

        int limitOrZero() {
            return limit == null ? 0 : limit;
        }
    }

    /** {@code channels}: an optional pattern ({@code *} any run of characters). */
    record Channels(String pattern) {}

    /** {@code info}: nothing. */
    record Info() {}

    /** Tags are strings: a null one would reach no client intact. */
    private static void checkTags(Map<String, String> tags) {
        if (tags != null && tags.containsValue(null)) {
            throw new ChannelsException(ErrorCode.BAD_REQUEST, "bad request: a tag's value is a string, not null");
        }
    }

    private static void required(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw missing(field);
        }
    }

    private static ChannelsException missing(String field) {
        return new ChannelsException(ErrorCode.BAD_REQUEST, "bad request: " + field + " required");
    }
}
