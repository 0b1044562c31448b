/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.engine;

import io.switchboard.session.Address;
import io.switchboard.session.Event;
import io.switchboard.session.Groups;
import io.switchboard.session.MemberInfo;
import io.switchboard.session.MembershipChange;
import io.switchboard.session.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default engine: everything in this process's memory, nothing to install. One server uses one
 * instance. {@link #sibling()} makes another node's engine on the same in-process bus, so several
 * servers in one JVM behave as a cluster (the engine contract tests use this).
 */
public final class InMemoryEngine implements Engine {

    private final Bus bus;
    private volatile LocalNode node;

    /** An engine on a bus of its own: a single node. */
    public InMemoryEngine() {
        this(new Bus());
    }

    private InMemoryEngine(Bus bus) {
        this.bus = bus;
    }

    /** An engine for another node, sharing this engine's groups, users and presence. */
    public InMemoryEngine sibling() {
        return new InMemoryEngine(bus);
    }

    @Override
    public void start(LocalNode localNode) {
        Objects.requireNonNull(localNode, "localNode");
        if (node != null) {
            throw new IllegalStateException("this engine is already attached to node " + node.id());
        }
        if (bus.nodes.putIfAbsent(localNode.id(), localNode) != null) {
            throw new IllegalStateException("a node with id " + localNode.id() + " is already on this bus");
        }
        node = localNode;
    }

    @Override
    public CompletionStage<Void> connected(MemberInfo member) {
        // Local sessions are found through the nodes themselves; nothing to record.
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void disconnected(MemberInfo member) {}

    @Override
    public CompletionStage<MembershipChange> join(String group, MemberInfo member) {
        Groups.requireValidName(group);
        MembershipChange[] change = {MembershipChange.NONE};
        bus.groups.compute(group, (name, presence) -> {
            GroupPresence target = presence == null ? new GroupPresence() : presence;
            change[0] = target.add(member);
            return target;
        });
        return CompletableFuture.completedFuture(change[0]);
    }

    @Override
    public CompletionStage<MembershipChange> leave(String group, MemberInfo member) {
        Groups.requireValidName(group);
        MembershipChange[] change = {MembershipChange.NONE};
        bus.groups.computeIfPresent(group, (name, presence) -> {
            change[0] = presence.remove(member);
            return presence.isEmpty() ? null : presence;
        });
        return CompletableFuture.completedFuture(change[0]);
    }

    @Override
    public void broadcast(String group, Message message, Address except) {
        Groups.requireValidName(group);
        for (LocalNode each : bus.nodes.values()) {
            each.broadcast(group, message, except);
        }
    }

    @Override
    public void broadcastLatest(String group, String key, Message message) {
        Groups.requireValidName(group);
        Objects.requireNonNull(key, "key");
        for (LocalNode each : bus.nodes.values()) {
            each.broadcastLatest(group, key, message);
        }
    }

    @Override
    public void event(String group, Event event) {
        Groups.requireValidName(group);
        for (LocalNode each : bus.nodes.values()) {
            each.event(group, event);
        }
    }

    @Override
    public CompletionStage<Integer> sendToUser(String user, Message message) {
        int reached = 0;
        for (LocalNode each : bus.nodes.values()) {
            reached += each.sendToUser(user, message);
        }
        return CompletableFuture.completedFuture(reached);
    }

    @Override
    public CompletionStage<Boolean> sendTo(Address address, Message message) {
        LocalNode target = bus.nodes.get(address.node());
        return CompletableFuture.completedFuture(target != null && target.sendTo(address, message));
    }

    @Override
    public CompletionStage<List<MemberInfo>> members(String group) {
        Groups.requireValidName(group);
        GroupPresence presence = bus.groups.get(group);
        return CompletableFuture.completedFuture(presence == null ? List.of() : presence.snapshot());
    }

    /**
     * How many groups have members now, on every node of this bus: a group is forgotten with its last
     * member, so rooms nobody is in take no memory (for metrics and tests).
     */
    public int groupCount() {
        return bus.groups.size();
    }

    @Override
    public void close() {
        LocalNode attached = node;
        if (attached != null) {
            bus.nodes.remove(attached.id(), attached);
            node = null;
        }
    }

    /** Everything the nodes on one bus share. */
    private static final class Bus {
        final Map<String, LocalNode> nodes = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, GroupPresence> groups = new ConcurrentHashMap<>();
    }

    /** One group's members and how many sessions each user has in it. Guarded by its own lock. */
    private static final class GroupPresence {
        private final Map<Address, MemberInfo> members = new LinkedHashMap<>();
        private final Map<String, Integer> sessionsPerUser = new HashMap<>();

        synchronized MembershipChange add(MemberInfo member) {
            if (members.putIfAbsent(member.address(), member) != null) {
                return new MembershipChange(false, countOf(member.user()));
            }
            if (member.user() == null) {
                return MembershipChange.NONE;
            }
            int count = sessionsPerUser.merge(member.user(), 1, Integer::sum);
            return new MembershipChange(count == 1, count);
        }

        synchronized MembershipChange remove(MemberInfo member) {
            MemberInfo removed = members.remove(member.address());
            if (removed == null) {
                return new MembershipChange(false, countOf(member.user()));
            }
            if (removed.user() == null) {
                return MembershipChange.NONE;
            }
            int count = sessionsPerUser.merge(removed.user(), -1, Integer::sum);
            if (count == 0) {
                sessionsPerUser.remove(removed.user());
            }
            return new MembershipChange(count == 0, count);
        }

        synchronized boolean isEmpty() {
            return members.isEmpty();
        }

        synchronized List<MemberInfo> snapshot() {
            return List.copyOf(new ArrayList<>(members.values()));
        }

        private int countOf(String user) {
            return user == null ? 0 : sessionsPerUser.getOrDefault(user, 0);
        }
    }
}
