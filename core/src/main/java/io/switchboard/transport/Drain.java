/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport;

import io.switchboard.session.CloseStatus;
import io.switchboard.transport.fanout.LocalRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The drain at shutdown: every open session is told 1001 (going away) after what was already queued
 * for it, and the server waits until the last one has finished closing or the drain limit has
 * passed, whichever comes first. The limit runs on a scheduler, so a test moves time by hand. New
 * connections are refused before this starts ({@link NettyServer#close}).
 */
final class Drain {

    private final LocalRegistry registry;
    private final ScheduledExecutorService timer;

    /** A drain of {@code registry}'s sessions whose limit runs on {@code timer}. */
    Drain(LocalRegistry registry, ScheduledExecutorService timer) {
        this.registry = registry;
        this.timer = timer;
    }

    /**
     * Closes every session with 1001; completes with {@code true} once all have finished closing,
     * with {@code false} when {@code limit} passed first.
     */
    CompletableFuture<Boolean> start(Duration limit) {
        registry.closeAll(CloseStatus.GOING_AWAY);
        CompletableFuture<Void> gone = registry.drained();
        if (gone.isDone()) {
            return CompletableFuture.completedFuture(true);
        }
        CompletableFuture<Boolean> outcome = gone.thenApply(done -> true);
        ScheduledFuture<?> deadline =
                timer.schedule(() -> outcome.complete(false), limit.toNanos(), TimeUnit.NANOSECONDS);
        outcome.whenComplete((drained, failure) -> deadline.cancel(false));
        return outcome;
    }
}
