/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.chat;

import io.switchboard.session.Address;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's chat connections, for the admin page: the engine reports a group's members but cannot
 * list groups, so rooms are counted where their connections are.
 */
final class LocalRooms {

    private final Map<Address, ChatApplication.Connection> connections = new ConcurrentHashMap<>();

    void opened(Address address, String user, String room) {
        connections.put(address, new ChatApplication.Connection(address, user, room));
    }

    void closed(Address address) {
        connections.remove(address);
    }

    /** Rooms with a connection here, by name, with how many. */
    Map<String, Integer> rooms() {
        Map<String, Integer> rooms = new TreeMap<>();
        connections.values().forEach(c -> rooms.merge(c.room(), 1, Integer::sum));
        return rooms;
    }

    /** The connections of {@code user} here. */
    List<ChatApplication.Connection> of(String user) {
        return connections.values().stream().filter(c -> c.user().equals(user)).toList();
    }
}
