/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import io.switchboard.engine.Engine;
import io.switchboard.engine.InMemoryEngine;
import io.switchboard.engine.LocalNode;
import io.switchboard.session.Address;
import io.switchboard.session.Event;
import io.switchboard.session.Message;
import io.switchboard.session.Scope;
import io.switchboard.session.WebSocketHandler;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * An in-process node for {@link Communicator}s: handlers on the same node see each other through
 * groups, users and addresses, exactly as on a server, with no sockets. Make one per test and create
 * communicators from it.
 */
public final class CommunicatorNode implements LocalNode, AutoCloseable {

    private static final AtomicInteger IDS = new AtomicInteger();

    private final String id = "test" + IDS.incrementAndGet();
    private final Engine engine;
    private final Map<Address, Communicator> sessions = new ConcurrentHashMap<>();
    private final Map<String, Set<Communicator>> groups = new ConcurrentHashMap<>();

    /** A node with an in-memory engine of its own. */
    public CommunicatorNode() {
        this(new InMemoryEngine());
    }

    /** A node using {@code engine} (not yet started). */
    public CommunicatorNode(Engine engine) {
        this.engine = engine;
        engine.start(this);
    }

    /** A communicator for a new connection with {@code scope}, served by a handler from {@code handlers}. */
    public Communicator communicator(Supplier<? extends WebSocketHandler> handlers, Scope scope) {
        return new Communicator(this, handlers.get(), scope);
    }

    Engine engine() {
        return engine;
    }

    void register(Communicator session) {
        sessions.put(session.address(), session);
    }

    void unregister(Communicator session) {
        sessions.remove(session.address());
        groups.values().forEach(members -> members.remove(session));
    }

    void joinLocal(String group, Communicator session) {
        groups.computeIfAbsent(group, name -> ConcurrentHashMap.newKeySet()).add(session);
    }

    void leaveLocal(String group, Communicator session) {
        Set<Communicator> members = groups.get(group);
        if (members != null) {
            members.remove(session);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void broadcast(String group, Message message, Address except) {
        groups.getOrDefault(group, Set.of()).stream()
                .filter(member -> !member.address().equals(except))
                .forEach(member -> member.broadcast(group, message));
    }

    @Override
    public void event(String group, Event event) {
        groups.getOrDefault(group, Set.of()).forEach(member -> member.deliver(event));
    }

    @Override
    public int sendToUser(String user, Message message) {
        int reached = 0;
        for (Communicator member : sessions.values()) {
            if (member.userName().filter(user::equals).isPresent()
                    && member.session().send(message)) {
                reached++;
            }
        }
        return reached;
    }

    @Override
    public boolean sendTo(Address address, Message message) {
        Communicator member = sessions.get(address);
        return member != null && member.session().send(message);
    }

    @Override
    public void close() {
        engine.close();
    }
}
