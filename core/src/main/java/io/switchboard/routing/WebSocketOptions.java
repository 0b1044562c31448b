package io.switchboard.routing;

import io.switchboard.Limits;
import io.switchboard.RateLimit;
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
 */
public record WebSocketOptions(RateLimit rateLimit, List<String> allowedOrigins) {

    /** Everything from the server's limits. */
    public static final WebSocketOptions DEFAULTS = new WebSocketOptions(null, null);

    public WebSocketOptions {
        if (allowedOrigins != null) {
            allowedOrigins = Limits.normalizeOrigins(allowedOrigins);
        }
    }

    /** These options with another rate limit. */
    public WebSocketOptions withRateLimit(RateLimit value) {
        return new WebSocketOptions(value, allowedOrigins);
    }

    /** These options with another origin allow-list. */
    public WebSocketOptions withAllowedOrigins(List<String> value) {
        return new WebSocketOptions(rateLimit, value);
    }

    /** The rate limit in effect on this route under the server's {@code limits}. */
    public RateLimit rateLimit(Limits limits) {
        return rateLimit != null ? rateLimit : limits.rateLimit();
    }

    /** The origin allow-list in effect on this route under the server's {@code limits}. */
    public List<String> allowedOrigins(Limits limits) {
        return allowedOrigins != null ? allowedOrigins : limits.allowedOrigins();
    }
}
