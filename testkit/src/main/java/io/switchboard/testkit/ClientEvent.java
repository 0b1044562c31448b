/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** What a test client saw, in order. */
public sealed interface ClientEvent {

    /** A complete text message. */
    record Text(String text) implements ClientEvent {}

    /** A complete binary message. */
    record Binary(byte[] data) implements ClientEvent {
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
            return "Binary[" + new String(data, StandardCharsets.ISO_8859_1) + "]";
        }
    }

    /** The server's close frame (code 1005 when it had none), or 1006 when the connection dropped. */
    record Closed(int code, String reason) implements ClientEvent {}

    /** The connection failed. */
    record Failed(Throwable error) implements ClientEvent {}
}
