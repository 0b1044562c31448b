/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import io.switchboard.session.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The broadcasts a {@link Communicator} holds for groups its handler joined with {@code
 * Session.joinHeld}, until it releases them: as on a server, the handler's message goes out first,
 * then the held broadcasts it keeps, and a later broadcast after them. One lock orders them all.
 */
final class HeldBroadcasts {

    private final Map<String, List<Message>> groups = new HashMap<>();
    private final Map<String, Predicate<Message>> filters = new HashMap<>();

    /** Starts holding {@code group}'s broadcasts. */
    synchronized void start(String group) {
        groups.putIfAbsent(group, new ArrayList<>());
    }

    /** A broadcast of {@code group}: held, or handed to {@code send}. */
    synchronized void deliver(String group, Message message, Consumer<Message> send) {
        List<Message> held = groups.get(group);
        if (held != null) {
            held.add(message);
        } else if (filters.getOrDefault(group, any -> true).test(message)) {
            send.accept(message);
        }
    }

    /**
     * Ends the hold: {@code first} (unless null), then the held messages {@code keep} accepts; {@code
     * keep} filters the group's later broadcasts until the session leaves it.
     */
    synchronized void release(String group, Message first, Predicate<Message> keep, Consumer<Message> send) {
        if (first != null) {
            send.accept(first);
        }
        List<Message> held = groups.remove(group);
        if (held != null) {
            held.stream().filter(keep).forEach(send);
            filters.put(group, keep);
        }
    }

    /** Drops the hold of {@code group}, what it held and its filter. */
    synchronized void cancel(String group) {
        groups.remove(group);
        filters.remove(group);
    }
}
