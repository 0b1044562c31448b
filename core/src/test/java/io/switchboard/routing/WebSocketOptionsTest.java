/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.settings.Limits;
import io.switchboard.settings.RateLimit;
import io.switchboard.settings.RateLimitPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A route's options over the server's limits: each one the route's own, or the server's. */
class WebSocketOptionsTest {

    private static final Limits SERVER = Limits.defaults()
            .withRateLimit(RateLimit.of(5, 10).withPolicy(RateLimitPolicy.DROP))
            .withAccess(a -> a.withAllowedOrigins(List.of("https://server.example")));

    @Test
    void byDefaultARouteTakesTheServersLimitWhoseDropIsSilent() {
        assertThat(WebSocketOptions.DEFAULTS.rateLimit(SERVER)).isEqualTo(SERVER.rateLimit());
        assertThat(WebSocketOptions.DEFAULTS.rateLimit(SERVER).reply()).isNull();
        assertThat(WebSocketOptions.DEFAULTS.allowedOrigins(SERVER)).containsExactly("https://server.example");
    }

    @Test
    void aRoutesReplyGoesWithWhicheverLimitIsInEffect() {
        WebSocketOptions shaped = WebSocketOptions.DEFAULTS.withRateLimitReply("{\"type\":\"error\"}");
        assertThat(shaped.rateLimit(SERVER)).isEqualTo(SERVER.rateLimit().withReply("{\"type\":\"error\"}"));
        RateLimit own = RateLimit.of(1, 2).withPolicy(RateLimitPolicy.DROP).withReply("own");
        assertThat(shaped.withRateLimit(own).rateLimit(SERVER)).isEqualTo(own.withReply("{\"type\":\"error\"}"));
        assertThat(WebSocketOptions.DEFAULTS.withRateLimit(own).rateLimit(SERVER))
                .isEqualTo(own);
    }
}
