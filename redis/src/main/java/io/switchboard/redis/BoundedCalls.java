/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import java.util.Collection;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One call for each of many items with at most a fixed number in flight: a dead node may have
 * thousands of groups, and a call each at once would flood Redis and the link's queue. Once told to
 * stop it starts no more calls; it is done when every call started has settled. Thread-safe.
 */
final class BoundedCalls<T> {

    private final Iterator<T> items;
    private final Function<T, CompletionStage<?>> call;
    private final BooleanSupplier stopped;
    private final CompletableFuture<Boolean> done = new CompletableFuture<>();
    private int inFlight;
    private boolean failed;

    private BoundedCalls(Collection<T> items, Function<T, CompletionStage<?>> call, BooleanSupplier stopped) {
        this.items = items.iterator();
        this.call = call;
        this.stopped = stopped;
    }

    /**
     * Calls {@code call} for each item, at most {@code limit} at once, until {@code stopped}; replies,
     * once every call started has settled, whether every item was called and succeeded.
     */
    static <T> CompletionStage<Boolean> run(
            Collection<T> items, int limit, Function<T, CompletionStage<?>> call, BooleanSupplier stopped) {
        BoundedCalls<T> calls = new BoundedCalls<>(items, call, stopped);
        for (int i = 0; i < limit; i++) {
            calls.next();
        }
        return calls.done;
    }

    private void next() {
        T item;
        synchronized (this) {
            if (stopped.getAsBoolean() || !items.hasNext()) {
                if (inFlight == 0) {
                    done.complete(!failed && !items.hasNext());
                }
                return;
            }
            item = items.next();
            inFlight++;
        }
        // Async: a call answered at once (a refused one) must not start the next on this stack.
        start(item).whenCompleteAsync((result, error) -> {
            synchronized (this) {
                inFlight--;
                failed |= error != null;
            }
            next();
        });
    }

    private CompletionStage<?> start(T item) {
        try {
            return call.apply(item);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
