/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.channels.ChannelsApi.ClientInfo;
import io.switchboard.channels.ChannelsApi.Publication;
import io.switchboard.engine.History;
import io.switchboard.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a stored publication frame back into a {@link Publication}, for the Java API's history. */
final class PublicationReader {

    private PublicationReader() {}

    static Publication read(String channel, History.Entry entry) {
        JsonNode pub;
        try {
            pub = Json.mapper().readTree(Wire.pubOf(channel, entry.payload()));
        } catch (JsonProcessingException e) {
            throw new ChannelsException(ErrorCode.INTERNAL, "a stored publication of " + channel + " is not JSON");
        }
        return new Publication(entry.id(), pub.get("data"), info(pub.get("info")), tags(pub.get("tags")));
    }

    private static ClientInfo info(JsonNode info) {
        if (info == null) {
            return null;
        }
        return new ClientInfo(
                info.path("client").asText(""),
                info.path("user").asText(""),
                info.get("conn_info"),
                info.get("chan_info"));
    }

    private static Map<String, String> tags(JsonNode tags) {
        Map<String, String> found = new LinkedHashMap<>();
        if (tags != null) {
            tags.fields()
                    .forEachRemaining(
                            tag -> found.put(tag.getKey(), tag.getValue().asText()));
        }
        return found;
    }
}
