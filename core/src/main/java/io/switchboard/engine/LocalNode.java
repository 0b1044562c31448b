/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.engine;

import io.switchboard.session.Address;
import io.switchboard.session.Event;
import io.switchboard.session.Message;

/**
 * The sessions of this node, as an {@link Engine} delivers to them. The server implements it; an
 * engine calls it for whatever reaches this node, from any thread.
 */
public interface LocalNode {

    /** This node's id, the prefix of every local {@link Address}. */
    String id();

    /** Writes {@code message} to every local member of {@code group} but {@code except} (may be null), encoded once. */
    void broadcast(String group, Message message, Address except);

    /**
     * Writes {@code message} to every local member of {@code group}, encoded once, a backed-up member
     * keeping only the newest of {@code key} (see {@code Hub.broadcastLatest}). The default writes it
     * to all as {@link #broadcast} does.
     */
    default void broadcastLatest(String group, String key, Message message) {
        broadcast(group, message, null);
    }

    /** Delivers {@code event} to every local member's handler. */
    void event(String group, Event event);

    /** Sends to every local session of {@code user}; returns how many there were. */
    int sendToUser(String user, Message message);

    /** Sends to the local session at {@code address}; returns whether it was open. */
    boolean sendTo(Address address, Message message);
}
