/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.settings;

/** What happens to a message that arrives over a connection's {@link RateLimit}. */
public enum RateLimitPolicy {
    /** Close the connection with 1008 ("rate limit exceeded"). The default. */
    CLOSE,
    /**
     * Drop the message before the handler sees it and answer with the limit's reply text, if it has
     * one; the connection stays open.
     */
    DROP
}
