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

    /**
     * Whether the store answers now: false from the moment a connection to it is lost or a call to it
     * times out, until it answers again. A call that fails with an answer (an error reply) does not
     * make it unavailable.
     */
    boolean available();

    /**
     * Adds a listener told of every call to the store when it completes. Listeners run on the store
     * client's threads: they must be quick and must not block or throw.
     */
    void onCall(CallListener listener);

    /**
     * Told of one completed store call. A call refused without reaching the store (it is down or
     * hung) is reported failed, with {@link #NOT_SENT} for its time: it has no latency to record.
     */
    @FunctionalInterface
    interface CallListener {

        /** The {@code nanos} of a call that never reached the store; negative, so no duration is mistaken for it. */
        long NOT_SENT = -1;

        /**
         * @param operation what the call did, from a fixed set of names ({@code publish}, {@code join},
         *     {@code presence}, {@code history}...): safe as a metric label
         * @param nanos how long it took; {@link #NOT_SENT} if it was refused without being sent
         * @param failed whether it failed (an error reply, a timeout, the link down)
         */
        void call(String operation, long nanos, boolean failed);
    }
}
