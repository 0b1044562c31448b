/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.switchboard.engine.Departures;
import io.switchboard.session.MemberInfo;
import io.switchboard.session.MembershipChange;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's {@link Departures} listeners, told of the members the engine removed on its own (the
 * sessions of a node that died). A listener that throws is logged and the others are still told.
 */
final class DepartureListeners {

    private static final Logger log = LoggerFactory.getLogger(RedisEngine.class);

    /** One member removed by the engine. */
    record Departure(String group, MemberInfo member, MembershipChange change) {}

    private final List<Departures.Listener> listeners = new CopyOnWriteArrayList<>();

    void add(Departures.Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Tells every listener about {@code departures}, in order. On the liveness thread. */
    void tell(List<Departure> departures) {
        for (Departure departure : departures) {
            for (Departures.Listener listener : listeners) {
                try {
                    listener.departed(departure.group(), departure.member(), departure.change());
                } catch (RuntimeException e) {
                    log.warn("a departure listener failed for {} in {}", departure.member(), departure.group(), e);
                }
            }
        }
    }
}
