/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.engine;

/**
 * An optional capability of an {@link Engine} or {@link History} kept in a store other nodes share
 * (Redis): whether the store answers now, and how its calls go, for readiness probes and metrics. An
 * engine or history kept in this process does not implement it: it is always up.
 */
public interface StoreStatus {

    /** Whether the store answers now; false from the moment a call or the link fails until it answers again. */
    boolean available();

    /**
     * Adds a listener told of every call to the store when it completes. Listeners run on the store
     * client's threads: they must be quick and must not block or throw.
     */
    void onCall(CallListener listener);

    /** Told of one completed store call. */
    @FunctionalInterface
    interface CallListener {
        /**
         * @param operation what the call did, from a fixed set of names ({@code publish}, {@code join},
         *     {@code presence}, {@code history}...): safe as a metric label
         * @param nanos how long it took
         * @param failed whether it failed (an error reply, a timeout, the link down)
         */
        void call(String operation, long nanos, boolean failed);
    }
}
