/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

import io.switchboard.json.Json;
import java.util.Arrays;
import java.util.Objects;

/**
 * One complete WebSocket message: text or binary. Fragments are joined before a handler sees a
 * message, and a message is framed as one frame when sent.
 */
public sealed interface Message permits Message.Text, Message.Binary {

    /** Size of the payload in bytes (UTF-8 length for text). */
    int size();

    /** A text message. */
    static Text text(String text) {
        return new Text(text);
    }

    /** A binary message; the array is not copied and must not change afterwards. */
    static Binary binary(byte[] data) {
        return new Binary(data);
    }

    /** A text message holding {@code value} written as JSON. */
    static Text json(Object value) {
        return new Text(Json.write(value));
    }

    /**
     * A text message.
     *
     * @param text the text
     */
    record Text(String text) implements Message {
        public Text {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public int size() {
            return Utf8.length(text);
        }
    }

    /**
     * A binary message. The array is shared, not copied.
     *
     * @param data the bytes
     */
    record Binary(byte[] data) implements Message {
        public Binary {
            Objects.requireNonNull(data, "data");
        }

        @Override
        public int size() {
            return data.length;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Binary binary && Arrays.equals(data, binary.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Binary[" + data.length + " bytes]";
        }
    }
}
