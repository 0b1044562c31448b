/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.settings;

/** What happens to a connection whose outbound buffer is full because its client does not read. */
public enum SlowConsumerPolicy {
    /** Close it with 1008 ("slow consumer"). The default: the client reconnects and recovers. */
    CLOSE,
    /** Drop the message for that connection only; the send returns {@code false}. */
    DROP
}
