/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.routing;

import io.switchboard.settings.Access;
import io.switchboard.settings.Limits;
import io.switchboard.settings.RateLimit;
import java.util.List;

/**
 * What one WebSocket route sets for itself instead of taking the server's {@link Limits}. Each
 * setting is {@code null} to take the server's.
 *
 * <pre>{@code
 * Router.builder().websocket("/ws/feed", FeedHandler::new, WebSocketOptions.DEFAULTS
 *         .withRateLimit(RateLimit.of(5, 10).withPolicy(RateLimitPolicy.DROP))
 *         .withAllowedOrigins(List.of("https://app.example")))
 * }</pre>
 *
 * @param rateLimit messages per second per connection on this route, or {@code null}
 * @param allowedOrigins origins allowed on this route besides the server's own ({@code *}: any), or
 *     {@code null}; normalized and checked when made
 * @param rateLimitReply the text frame that answers a message dropped over whichever rate limit is in
 *     effect on this route (in the application's own error shape), or {@code null} for the limit's
 *     own {@link RateLimit#reply()}
 * @param conflatedText rewrites a latest value delivered to a backed-up connection in place of older
 *     ones, to tell the client how many it missed; {@code null} sends it as broadcast
 */
public record WebSocketOptions(
        RateLimit rateLimit, List<String> allowedOrigins, String rateLimitReply, ConflatedText conflatedText) {

    /** Everything from the server's limits. */
    public static final WebSocketOptions DEFAULTS = new WebSocketOptions(null, null, null, null);

    public WebSocketOptions {
        if (allowedOrigins != null) {
            allowedOrigins = Access.normalizeOrigins(allowedOrigins);
        }
    }

    /** Options that send latest values as broadcast. */
    public WebSocketOptions(RateLimit rateLimit, List<String> allowedOrigins, String rateLimitReply) {
        this(rateLimit, allowedOrigins, rateLimitReply, null);
    }

    /** These options with another rate limit. */
    public WebSocketOptions withRateLimit(RateLimit value) {
        return new WebSocketOptions(value, allowedOrigins, rateLimitReply, conflatedText);
    }

    /** These options with another origin allow-list. */
    public WebSocketOptions withAllowedOrigins(List<String> value) {
        return new WebSocketOptions(rateLimit, value, rateLimitReply, conflatedText);
    }

    /** These options with another reply to messages dropped over the rate limit. */
    public WebSocketOptions withRateLimitReply(String value) {
        return new WebSocketOptions(rateLimit, allowedOrigins, value, conflatedText);
    }

    /** These options with another rewrite of latest values delivered after skipping older ones. */
    public WebSocketOptions withConflatedText(ConflatedText value) {
        return new WebSocketOptions(rateLimit, allowedOrigins, rateLimitReply, value);
    }

    /** The rate limit in effect on this route under the server's {@code limits}, with this route's reply. */
    public RateLimit rateLimit(Limits limits) {
        RateLimit limit = rateLimit != null ? rateLimit : limits.rateLimit();
        return rateLimitReply != null ? limit.withReply(rateLimitReply) : limit;
    }

    /** The origin allow-list in effect on this route under the server's {@code limits}. */
    public List<String> allowedOrigins(Limits limits) {
        return allowedOrigins != null ? allowedOrigins : limits.access().allowedOrigins();
    }
}
