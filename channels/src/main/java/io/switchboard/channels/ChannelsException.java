/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import java.util.Objects;

/** A refused channel operation: the protocol's error code and a one-line message. */
public final class ChannelsException extends RuntimeException {

    private final ErrorCode code;

    public ChannelsException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ChannelsException(ErrorCode code) {
        this(code, code.message());
    }

    /** The protocol's error code. */
    public ErrorCode code() {
        return code;
    }
}
