/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.settings;

import java.util.Objects;

/**
 * What may wait in memory for one connection, each way, and what happens to a client that does not
 * read.
 *
 * @param outboundBufferBytes bytes queued for one client before the slow consumer policy applies.
 *     Default 1 MiB
 * @param inboundBufferBytes bytes of messages waiting for one connection's handler before reading
 *     pauses. Default 1 MiB
 * @param slowConsumerPolicy what happens to a client whose outbound buffer is full. Default {@link
 *     SlowConsumerPolicy#CLOSE}
 * @param maxConflatedKeys how many keys of latest-value broadcasts ({@code Hub.broadcastLatest}) one
 *     backed-up connection may hold the newest value of; a broadcast with a further key goes the
 *     ordinary way, to the slow consumer policy. Default 1024
 */
public record Buffers(
        int outboundBufferBytes, int inboundBufferBytes, SlowConsumerPolicy slowConsumerPolicy, int maxConflatedKeys) {

    private static final int DEFAULT_MAX_CONFLATED_KEYS = 1024;

    static final Buffers DEFAULTS =
            new Buffers(1024 * 1024, 1024 * 1024, SlowConsumerPolicy.CLOSE, DEFAULT_MAX_CONFLATED_KEYS);

    public Buffers {
        Check.atLeastOne("outboundBufferBytes", outboundBufferBytes);
        Check.atLeastOne("inboundBufferBytes", inboundBufferBytes);
        Objects.requireNonNull(slowConsumerPolicy, "slowConsumerPolicy");
        Check.atLeastOne("maxConflatedKeys", maxConflatedKeys);
    }

    /** Buffers with the default cap on conflated keys. */
    public Buffers(int outboundBufferBytes, int inboundBufferBytes, SlowConsumerPolicy slowConsumerPolicy) {
        this(outboundBufferBytes, inboundBufferBytes, slowConsumerPolicy, DEFAULT_MAX_CONFLATED_KEYS);
    }

    public Buffers withOutboundBufferBytes(int value) {
        return new Buffers(value, inboundBufferBytes, slowConsumerPolicy, maxConflatedKeys);
    }

    public Buffers withInboundBufferBytes(int value) {
        return new Buffers(outboundBufferBytes, value, slowConsumerPolicy, maxConflatedKeys);
    }

    public Buffers withSlowConsumerPolicy(SlowConsumerPolicy value) {
        return new Buffers(outboundBufferBytes, inboundBufferBytes, value, maxConflatedKeys);
    }

    public Buffers withMaxConflatedKeys(int value) {
        return new Buffers(outboundBufferBytes, inboundBufferBytes, slowConsumerPolicy, value);
    }
}
