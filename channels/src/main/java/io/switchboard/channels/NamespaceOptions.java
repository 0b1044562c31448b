/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import java.time.Duration;
import java.util.Objects;

/**
 * How the channels of one namespace ({@code ns:channel}) behave. Channels without a namespace use
 * {@link #DEFAULTS}, which need no settings file: history kept with recovery, presence and join/leave
 * on, authenticated clients may subscribe and publish.
 *
 * @param historySize publications kept per channel (0: no history, so no recovery either)
 * @param historyTtl how long a channel's history is kept after its last publication
 * @param presence whether presence and presence_stats answer
 * @param joinLeave whether subscribers receive join and leave pushes
 * @param recovery whether a resubscribing client may recover what it missed from the history
 * @param subscribe who may subscribe
 * @param publish who may publish from a client connection (the server API always may)
 * @param conflation the key by which a backed-up subscriber gets only the newest publication, or null
 */
public record NamespaceOptions(
        int historySize,
        Duration historyTtl,
        boolean presence,
        boolean joinLeave,
        boolean recovery,
        SubscribeRule subscribe,
        PublishRule publish,
        ConflationKey conflation) {

    /** Channels without a namespace, and every option a namespace does not set. */
    public static final NamespaceOptions DEFAULTS = new NamespaceOptions(
            100, Duration.ofHours(24), true, true, true, SubscribeRule.AUTHENTICATED, PublishRule.CLIENTS, null);

    /** Longest a channel's history may be kept after its last publication. */
    public static final Duration MAX_HISTORY_TTL = Duration.ofDays(3650);

    /** Most publications a channel's history may keep. */
    public static final int MAX_HISTORY_SIZE = 100_000;

    public NamespaceOptions {
        if (historySize < 0 || historySize > MAX_HISTORY_SIZE) {
            throw new IllegalArgumentException("history-size is 0 to " + MAX_HISTORY_SIZE + ", not " + historySize);
        }
        Objects.requireNonNull(historyTtl, "historyTtl");
        if (historySize > 0 && (historyTtl.isZero() || historyTtl.isNegative())) {
            throw new IllegalArgumentException(
                    "history-ttl must be positive when a history is kept, not " + historyTtl);
        }
        if (recovery && historySize == 0) {
            throw new IllegalArgumentException("recovery needs a history: set history-size above 0 or recovery=false");
        }
        Objects.requireNonNull(subscribe, "subscribe");
        Objects.requireNonNull(publish, "publish");
    }

    /** Whether publications are kept. */
    public boolean keepsHistory() {
        return historySize > 0;
    }

    /** Who may subscribe to a channel. */
    public enum SubscribeRule {
        /** Any connection, with or without a user. */
        ANONYMOUS,
        /** Connections with a user (a connection token's {@code sub}). */
        AUTHENTICATED,
        /** Only with a subscription token for that channel. */
        TOKEN
    }

    /** Who may publish to a channel from a client connection. */
    public enum PublishRule {
        /** Any connection that may subscribe to it. */
        CLIENTS,
        /** Only connections subscribed to it. */
        SUBSCRIBERS,
        /** Nobody: only the server API. */
        SERVER
    }

    /**
     * What makes two publications of a channel the same key for conflation: a top-level field of
     * the data (a JSON object), or a tag.
     *
     * @param name the field or tag name
     * @param tag true when it names a tag
     */
    public record ConflationKey(String name, boolean tag) {
        public ConflationKey {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a conflation key names a field or a tag");
            }
        }
    }
}
