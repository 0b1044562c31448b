/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.admin;

import io.switchboard.stats.Refusal;
import io.switchboard.stats.ServerStats;
import java.util.Map;

/** Figures a test sets: a server's stats at one moment; or stats that fail to be read. */
final class Figures implements ServerStats {
    private long open;
    private long in;
    private long out;
    private long deliveries;
    private volatile boolean failing;

    void set(long open, long in, long out, long deliveries) {
        this.open = open;
        this.in = in;
        this.out = out;
        this.deliveries = deliveries;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    /** From now on reading the figures throws {@link IllegalStateException}, or no longer. */
    void failing(boolean failing) {
        this.failing = failing;
    }

    @Override
    public long openConnections() {
        if (failing) {
            throw new IllegalStateException("the figures cannot be read");
        }
        return open;
    }

    @Override
    public long connectionsOpened() {
        return 0;
    }

    @Override
    public Map<Integer, Long> closedByCode() {
        return Map.of();
    }

    @Override
    public Map<Refusal, Long> refusedByReason() {
        return Map.of();
    }

    @Override
    public long messagesIn() {
        return in;
    }

    @Override
    public long bytesIn() {
        return 0;
    }

    @Override
    public long messagesOut() {
        return out;
    }

    @Override
    public long bytesOut() {
        return 0;
    }

    @Override
    public long deliveries() {
        return deliveries;
    }

    @Override
    public long slowConsumerCloses() {
        return 0;
    }

    @Override
    public long slowConsumerDrops() {
        return 0;
    }

    @Override
    public long rateLimited() {
        return 0;
    }
}
