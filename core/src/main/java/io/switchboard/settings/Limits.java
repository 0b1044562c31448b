/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.settings;

import io.switchboard.security.Hosts;
import io.switchboard.security.Origins;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Every bound the server enforces, each with a default, grouped by concern. Immutable; each group
 * checks itself when made, with a message that names the setting. Change one setting in one line:
 *
 * <pre>{@code
 * Limits.defaults().withMessages(m -> m.withMaxMessageBytes(1 << 20))
 * }</pre>
 *
 * <p>Each group documents its settings and their defaults; the README's limits table restates them
 * and a test holds it to them.
 *
 * @param messages frame, message and fragment sizes, and permessage-deflate
 * @param buffers what may wait for one connection each way, and the slow consumer policy
 * @param timeouts handshake, heartbeat, close and drain
 * @param capacity connection counts and the HTTP body size
 * @param rateLimit messages per second each connection may send, unless its route sets its own; a
 *     message's first frame counts as one, then every 16th fragment of it, and each ping and pong
 *     (see {@link RateLimit}). Default {@link RateLimit#DEFAULT}
 * @param access the origin and host allow-lists
 */
public record Limits(
        Messages messages, Buffers buffers, Timeouts timeouts, Capacity capacity, RateLimit rateLimit, Access access) {

    private static final Limits DEFAULTS = new Limits(
            Messages.DEFAULTS,
            Buffers.DEFAULTS,
            Timeouts.DEFAULTS,
            Capacity.DEFAULTS,
            RateLimit.DEFAULT,
            Access.DEFAULTS);

    public Limits {
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(buffers, "buffers");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(access, "access");
    }

    /** Every setting at its default. */
    public static Limits defaults() {
        return DEFAULTS;
    }

    /** These limits with the message limits changed by {@code change}. */
    public Limits withMessages(UnaryOperator<Messages> change) {
        return new Limits(change.apply(messages), buffers, timeouts, capacity, rateLimit, access);
    }

    /** These limits with the buffers changed by {@code change}. */
    public Limits withBuffers(UnaryOperator<Buffers> change) {
        return new Limits(messages, change.apply(buffers), timeouts, capacity, rateLimit, access);
    }

    /** These limits with the timeouts changed by {@code change}. */
    public Limits withTimeouts(UnaryOperator<Timeouts> change) {
        return new Limits(messages, buffers, change.apply(timeouts), capacity, rateLimit, access);
    }

    /** These limits with the capacity limits changed by {@code change}. */
    public Limits withCapacity(UnaryOperator<Capacity> change) {
        return new Limits(messages, buffers, timeouts, change.apply(capacity), rateLimit, access);
    }

    /** These limits with another rate limit. */
    public Limits withRateLimit(RateLimit value) {
        return new Limits(messages, buffers, timeouts, capacity, value, access);
    }

    /** These limits with the allow-lists changed by {@code change}. */
    public Limits withAccess(UnaryOperator<Access> change) {
        return new Limits(messages, buffers, timeouts, capacity, rateLimit, change.apply(access));
    }

    /** Every limit by name, in a stable order, for the table printed at startup. */
    public Map<String, String> describe() {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("max frame size", bytes(messages.maxFrameBytes()));
        rows.put("max message size", bytes(messages.maxMessageBytes()));
        rows.put("max fragments per message", String.valueOf(messages.fragmentLimit()));
        rows.put("outbound buffer per connection", bytes(buffers.outboundBufferBytes()));
        rows.put("inbound buffer per connection", bytes(buffers.inboundBufferBytes()));
        rows.put("max HTTP body", bytes(capacity.maxHttpBodyBytes()));
        rows.put("slow consumer policy", buffers.slowConsumerPolicy().name().toLowerCase(Locale.ROOT));
        rows.put("close timeout", timeouts.closeTimeout().toMillis() + " ms");
        rows.put("drain timeout", timeouts.drainTimeout().toMillis() + " ms");
        rows.put("permessage-deflate", messages.deflate() ? "on (messages from 64 B)" : "off");
        rows.put("handshake timeout", timeouts.handshakeTimeout().toMillis() + " ms");
        rows.put("ping interval", timeouts.pingInterval().toMillis() + " ms");
        rows.put("pong timeout", timeouts.pongTimeout().toMillis() + " ms");
        rows.put("max connections", String.valueOf(capacity.maxConnections()));
        rows.put("max connections per address", String.valueOf(capacity.maxConnectionsPerAddress()));
        rows.put("messages per connection", rateLimit.describe());
        rows.put("allowed origins", origins());
        rows.put("allowed hosts", hosts());
        return rows;
    }

    private String origins() {
        if (access.allowedOrigins().contains(Origins.ANY)) {
            return "any";
        }
        return access.allowedOrigins().isEmpty()
                ? "same origin"
                : "same origin, " + String.join(", ", access.allowedOrigins());
    }

    private String hosts() {
        return access.allowedHosts().contains(Hosts.ANY) ? "any" : String.join(", ", access.allowedHosts());
    }

    /** {@code n} bytes in the largest whole unit: {@code 65536} is {@code 64 KiB}. */
    public static String bytes(long n) {
        if (n >= 1 << 20 && n % (1 << 20) == 0) {
            return (n >> 20) + " MiB";
        }
        if (n >= 1 << 10 && n % (1 << 10) == 0) {
            return (n >> 10) + " KiB";
        }
        return n + " B";
    }

    @Override
    public String toString() {
        return "Limits" + describe();
    }
}
