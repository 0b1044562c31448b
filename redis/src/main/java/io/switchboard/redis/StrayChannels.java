/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Ends group subscriptions that outlived the node's members of the group (an outage kept an
 * unsubscribe from Redis). A stray message is noticed on a Lettuce I/O thread, which must not wait
 * for the engine's lock (every group's messages would wait with it), so the subscription is ended on
 * another thread, and a flood of stray messages of one group asks for that once. Thread-safe.
 */
final class StrayChannels {

    private final Set<String> ending = ConcurrentHashMap.newKeySet();
    private final Executor executor;
    private final Consumer<String> end;

    /** Ends a group's subscription with {@code end} (which checks the group is still memberless) on {@code executor}. */
    StrayChannels(Executor executor, Consumer<String> end) {
        this.executor = executor;
        this.end = end;
    }

    /** A message of {@code group} came though the node has no members of it. Any thread; does not block. */
    void strayed(String group) {
        if (ending.add(group)) {
            executor.execute(() -> {
                ending.remove(group);
                end.accept(group);
            });
        }
    }
}
