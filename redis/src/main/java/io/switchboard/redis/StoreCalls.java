/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.switchboard.engine.StoreStatus;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link StoreStatus.CallListener}s of one {@link RedisLink}, and the timing of its calls for
 * them. With no listener a call is not timed at all: the clock is read only when someone listens.
 *
 * <p>Thread-safe.
 */
final class StoreCalls {

    private static final Logger log = LoggerFactory.getLogger(StoreCalls.class);

    private final List<StoreStatus.CallListener> listeners = new CopyOnWriteArrayList<>();

    void add(StoreStatus.CallListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Starts {@code call} and tells the listeners how it went as {@code operation} when it completes.
     * When {@code disconnected} (its connection was down as it started), a failure is taken for the
     * client refusing it unsent, and reported {@link StoreStatus.CallListener#NOT_SENT not sent}.
     */
    <T> CompletionStage<T> timed(String operation, boolean disconnected, Supplier<? extends CompletionStage<T>> call) {
        if (listeners.isEmpty()) {
            return call.get();
        }
        long start = System.nanoTime();
        CompletionStage<T> started;
        try {
            started = call.get();
        } catch (RuntimeException e) {
            tell(operation, disconnected ? StoreStatus.CallListener.NOT_SENT : System.nanoTime() - start, true);
            throw e;
        }
        return started.whenComplete((result, error) -> {
            boolean unsent = error != null && disconnected;
            tell(operation, unsent ? StoreStatus.CallListener.NOT_SENT : System.nanoTime() - start, error != null);
        });
    }

    /** Tells the listeners of a call that failed without reaching Redis (the link is hung). */
    void refused(String operation) {
        if (!listeners.isEmpty()) {
            tell(operation, StoreStatus.CallListener.NOT_SENT, true);
        }
    }

    private void tell(String operation, long nanos, boolean failed) {
        for (StoreStatus.CallListener listener : listeners) {
            try {
                listener.call(operation, nanos, failed);
            } catch (VirtualMachineError e) {
                throw e; // out of memory and the like: nothing here can go on
            } catch (Throwable e) {
                // A listener must not throw; one that does (even an Error) must not break the call it watched.
                log.warn("a store call listener failed on {}", operation, e);
            }
        }
    }
}
