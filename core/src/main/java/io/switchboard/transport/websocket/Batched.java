/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

/**
 * What writing a shared broadcast frame to one connection did: the fan-out counts the deliveries by
 * it, and flushes each connection it wrote to once, at the end of its batch.
 */
public enum Batched {
    /**
     * Not written: the connection is closed, or the frame met the slow-consumer policy, or it was
     * held (behind the handshake, for a held group, as a latest value), to be counted when it goes out.
     */
    NOT_WRITTEN,
    /** Written, in a batch that had already written to the connection. */
    WRITTEN,
    /** Written, the first in its batch: the batch ends with a flush of this connection. */
    FIRST
}
