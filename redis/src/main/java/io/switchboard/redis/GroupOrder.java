/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs one group's presence writes one after the other: a join or leave may be two calls to two
 * primaries (the node's groups, then the group's script), and the next write of the group must not
 * overtake them. Writes of different groups run at once. A group with nothing in flight costs
 * nothing; an idle group leaves no entry behind. Thread-safe.
 */
final class GroupOrder {

    private final Map<String, CompletableFuture<?>> last = new ConcurrentHashMap<>();

    /** Starts {@code write} once the group's writes started before it settled (at once if none is in flight). */
    <T> CompletionStage<T> after(String group, Supplier<CompletionStage<T>> write) {
        CompletableFuture<T> settled = new CompletableFuture<>();
        CompletableFuture<?> before = last.put(group, settled);
        CompletionStage<T> sent = before == null
                ? start(write)
                : before.handle((result, error) -> null).thenCompose(ignored -> start(write));
        sent.whenComplete((result, error) -> {
            last.remove(group, settled);
            if (error != null) {
                settled.completeExceptionally(error);
            } else {
                settled.complete(result);
            }
        });
        return settled;
    }

    /** The groups with a write in flight now. */
    Set<String> inFlight() {
        return Set.copyOf(last.keySet());
    }

    /** {@code write}'s stage; one that throws instead fails, so the writes after it still run. */
    private static <T> CompletionStage<T> start(Supplier<CompletionStage<T>> write) {
        try {
            return write.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
