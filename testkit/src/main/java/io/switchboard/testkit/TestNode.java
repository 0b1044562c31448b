/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import io.switchboard.engine.Engine;
import io.switchboard.engine.LocalNode;
import io.switchboard.session.Address;
import io.switchboard.session.Event;
import io.switchboard.session.MemberInfo;
import io.switchboard.session.Message;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Stands in for a server in {@link EngineContract}'s tests and an engine's own: attached to one
 * engine, it keeps its members' group memberships and records what reaches them.
 */
public final class TestNode implements LocalNode {
    private static final AtomicInteger IDS = new AtomicInteger();

    private final String id = "node" + IDS.incrementAndGet();
    private final Engine engine;
    private final Duration timeout;
    private final Map<Address, TestMember> members = new ConcurrentHashMap<>();

    TestNode(Engine engine, Duration timeout) {
        this.engine = engine;
        this.timeout = timeout;
        engine.start(this);
    }

    /** The engine this node is attached to. */
    public Engine engine() {
        return engine;
    }

    /** A new session of {@code user} (null for anonymous) on this node. */
    public TestMember connect(String user) {
        TestMember member = new TestMember(this, new MemberInfo(Address.next(id), user), timeout);
        members.put(member.info().address(), member);
        try {
            engine.connected(member.info()).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the engine did not register " + member.info() + ": " + e, e);
        }
        return member;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void broadcast(String group, Message message, Address except) {
        members.values().stream()
                .filter(m -> m.inGroup(group) && !m.info().address().equals(except))
                .forEach(m -> m.record(message));
    }

    /** Records each member's value with its key, as {@link TestMember.Latest}. */
    @Override
    public void broadcastLatest(String group, String key, Message message) {
        members.values().stream()
                .filter(m -> m.inGroup(group))
                .forEach(m -> m.record(new TestMember.Latest(key, message)));
    }

    @Override
    public void event(String group, Event event) {
        members.values().stream().filter(m -> m.inGroup(group)).forEach(m -> m.record(event));
    }

    @Override
    public int sendToUser(String user, Message message) {
        List<TestMember> targets = members.values().stream()
                .filter(m -> user.equals(m.info().user()))
                .collect(Collectors.toList());
        targets.forEach(m -> m.record(message));
        return targets.size();
    }

    @Override
    public boolean sendTo(Address address, Message message) {
        TestMember member = members.get(address);
        if (member == null) {
            return false;
        }
        member.record(message);
        return true;
    }
}
