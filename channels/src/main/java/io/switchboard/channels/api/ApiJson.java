/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.switchboard.json.Json;
import java.nio.charset.StandardCharsets;

/**
 * The server API's JSON: Centrifugo's field names ({@code skip_history}, {@code num_clients}), which
 * are the records' names in snake case; absent values are left out, as Centrifugo leaves them.
 */
final class ApiJson {

    private static final ObjectMapper MAPPER = Json.mapper()
            .copy()
            // An absent skip_history or reverse is false, as in Centrifugo.
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);

    private ApiJson() {}

    /** The request body as {@code kind}; an empty body is {@code {}}. Fails with {@link Malformed}. */
    static <T> T read(byte[] body, Class<T> kind) {
        try {
            T value = MAPPER.readValue(body.length == 0 ? EMPTY : body, kind);
            if (value == null) {
                throw new Malformed("the body is null, not an object");
            }
            return value;
        } catch (java.io.IOException e) {
            throw new Malformed(describe(e));
        }
    }

    /** {@code value} as JSON bytes. */
    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /**
     * One line about what is wrong, without echoing the input or naming Java types: the field whose
     * value has the wrong type, or the parser's complaint without its location.
     */
    private static String describe(java.io.IOException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return "'" + field(mapping) + "' has the wrong type";
        }
        if (e instanceof JsonMappingException) {
            return "the body is not a JSON object";
        }
        String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
        if (message == null) {
            return "not JSON";
        }
        String line = message.lines().findFirst().orElse("").replaceAll("\\s*\\(start marker at .*$", "");
        return "not JSON: " + (line.length() > 120 ? line.substring(0, 120) : line);
    }

    private static String field(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** A body that is not JSON of the method's shape: answered with 400, as Centrifugo does. */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
