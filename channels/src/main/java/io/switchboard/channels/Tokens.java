/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.json.Json;
import io.switchboard.security.TokenVerifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads connection and subscription tokens with the server's {@link TokenVerifier}: who a connection
 * is, until when, what it says about itself, and which channels it is subscribed to server-side; a
 * subscription token's user and channel. Refusals are the protocol's: an expired token is {@link
 * ErrorCode#TOKEN_EXPIRED} (the client fetches a fresh one), one that cannot be checked now a
 * temporary {@link ErrorCode#INTERNAL} (the client retries), anything else invalid.
 */
final class Tokens {

    private final TokenVerifier verifier;

    Tokens(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    /**
     * What a connection token says.
     *
     * @param user its {@code sub} ("" for an anonymous connection)
     * @param expiresAt its {@code exp} in epoch seconds, 0 when it never expires
     * @param info its {@code info}, or null
     * @param channels its {@code channels}: subscribed server-side on connect
     */
    record Connection(String user, long expiresAt, JsonNode info, List<String> channels) {}

    /**
     * What a subscription token says.
     *
     * @param user its {@code sub}
     * @param channel its {@code channel}
     * @param expiresAt its {@code exp} in epoch seconds, 0 when it never expires
     * @param info its {@code info}, or null
     */
    record Subscription(String user, String channel, long expiresAt, JsonNode info) {}

    /** A token that did not verify, as the protocol answers it. */
    static final class Refused extends Exception {
        private final TokenVerifier.Problem problem;

        Refused(TokenVerifier.Problem problem, String reason) {
            super(reason, null, false, false);
            this.problem = problem;
        }

        /** Why. */
        TokenVerifier.Problem problem() {
            return problem;
        }

        /** The error a reply carries for it. */
        ErrorCode code() {
            return switch (problem) {
                case EXPIRED -> ErrorCode.TOKEN_EXPIRED;
                case UNAVAILABLE -> ErrorCode.INTERNAL;
                case INVALID -> ErrorCode.PERMISSION_DENIED;
            };
        }

        /** Whether a retry with the same token may work. */
        boolean temporary() {
            return problem == TokenVerifier.Problem.UNAVAILABLE;
        }
    }

    /** The last {@code exp} taken as it is: 9999-12-31T23:59:59Z. */
    static final long LAST_EXPIRY = 253_402_300_799L;

    Connection connection(String token) throws Refused {
        Map<String, Object> claims = verify(token);
        return new Connection(text(claims, "sub"), expiry(claims), json(claims.get("info")), channels(claims));
    }

    Subscription subscription(String token) throws Refused {
        Map<String, Object> claims = verify(token);
        return new Subscription(text(claims, "sub"), text(claims, "channel"), expiry(claims), json(claims.get("info")));
    }

    private Map<String, Object> verify(String token) throws Refused {
        try {
            return verifier.verify(token);
        } catch (TokenVerifier.Rejected e) {
            throw new Refused(e.problem(), e.getMessage());
        } catch (RuntimeException e) {
            throw new Refused(TokenVerifier.Problem.UNAVAILABLE, "the token check failed: " + e);
        }
    }

    private static String text(Map<String, Object> claims, String name) throws Refused {
        Object value = claims.get(name);
        if (value == null) {
            return "";
        }
        if (!(value instanceof String text)) {
            throw new Refused(TokenVerifier.Problem.INVALID, "the token's " + name + " is not a string");
        }
        return text;
    }

    private static long expiry(Map<String, Object> claims) throws Refused {
        Object value = claims.get("exp");
        if (value == null) {
            return 0;
        }
        if (!(value instanceof Number number)) {
            throw new Refused(TokenVerifier.Problem.INVALID, "the token's exp is not a number");
        }
        // Past the year 9999 is forever enough, and keeps the timers' arithmetic from overflowing.
        return Math.min(number.longValue(), LAST_EXPIRY);
    }

    private static List<String> channels(Map<String, Object> claims) throws Refused {
        Object value = claims.get("channels");
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new Refused(TokenVerifier.Problem.INVALID, "the token's channels is not a list");
        }
        List<String> channels = new ArrayList<>(list.size());
        for (Object channel : list) {
            if (!(channel instanceof String name) || !ChannelNames.valid(name)) {
                throw new Refused(TokenVerifier.Problem.INVALID, "the token's channels holds an invalid channel");
            }
            channels.add(name);
        }
        return List.copyOf(channels);
    }

    private static JsonNode json(Object value) {
        return value == null ? null : Json.mapper().valueToTree(value);
    }
}
