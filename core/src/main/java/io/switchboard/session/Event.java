/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

import io.switchboard.json.Json;
import java.util.Objects;

/**
 * A group event: delivered to every member's {@link WebSocketHandler#onEvent}, which decides what to
 * do (Channels' group_send semantics). The body is JSON so that an event crosses nodes unchanged.
 *
 * @param type what kind of event, such as {@code chat.message}
 * @param json the body as JSON text
 */
public record Event(String type, String json) {

    public Event {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(json, "json");
        if (type.isEmpty()) {
            throw new IllegalArgumentException("an event needs a type");
        }
    }

    /** An event whose body is {@code body} written as JSON. */
    public static Event of(String type, Object body) {
        return new Event(type, Json.write(body));
    }

    /** The body read as {@code kind}. */
    public <T> T body(Class<T> kind) {
        return Json.read(json, kind);
    }
}
