/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

import io.switchboard.json.Json;
import io.switchboard.json.JsonException;
import java.util.Objects;

/**
 * A handler that receives and sends typed values as JSON text messages.
 *
 * <p>Each text message is read as {@code T} with {@link Json}; {@link #onJson} gets the value. Text
 * that is not JSON, or does not fit {@code T}, goes to {@link #onInvalidJson}, which by default
 * closes the connection with 1007 (invalid payload data), the reason saying what was wrong: the
 * framework does not know the application's protocol, so it does not invent a reply in it. An
 * application that has an error message overrides {@link #onInvalidJson} to send it and keep the
 * connection open. Binary messages close the connection with 1003 (unsupported data). Send values
 * with {@link Session#sendJson}.
 *
 * @param <T> the type of incoming messages, typically a record
 */
public abstract class JsonHandler<T> implements WebSocketHandler {

    private final Class<T> type;

    /** A handler reading every text message as {@code type}. */
    protected JsonHandler(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    /** A message arrived and was read as {@code T}. */
    protected abstract void onJson(Session session, T value) throws Exception;

    /**
     * A text message could not be read as {@code T}. Closes the connection with 1007 (invalid payload
     * data) and the error as the reason (cut to fit a close frame); override to answer in the
     * application's own error shape and keep the connection open.
     */
    protected void onInvalidJson(Session session, JsonException error) throws Exception {
        session.close(CloseStatus.INVALID_PAYLOAD.withReason(error.getMessage()));
    }

    @Override
    public final void onText(Session session, String text) throws Exception {
        T value;
        try {
            value = Json.read(text, type);
        } catch (JsonException e) {
            onInvalidJson(session, e);
            return;
        }
        if (value == null) {
            onInvalidJson(session, new JsonException("expected a JSON value, got null", null));
            return;
        }
        onJson(session, value);
    }

    @Override
    public void onBinary(Session session, byte[] data) throws Exception {
        session.close(CloseStatus.UNSUPPORTED_DATA.withReason("this endpoint speaks JSON text only"));
    }
}
