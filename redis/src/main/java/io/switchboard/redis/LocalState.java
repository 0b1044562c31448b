/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.switchboard.session.Address;
import io.switchboard.session.MemberInfo;
import io.switchboard.session.MembershipChange;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's sessions and their groups: the truth that Redis mirrors for the other nodes. It decides
 * which group channels the node listens on, answers presence for this node alone while Redis is
 * unreachable, and is written back whole when Redis forgot the node. Mutated under the engine's
 * lock; {@link #hasMembers} and the dirty groups may be used from any thread.
 */
final class LocalState {

    private final Map<Address, MemberInfo> sessions = new LinkedHashMap<>();
    private final Map<String, Integer> sessionsPerUser = new HashMap<>();
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();

    /** One group's members on this node, and the subscription that brings its messages here. */
    static final class Group {
        final Map<Address, MemberInfo> members = new LinkedHashMap<>();
        final Map<String, Integer> sessionsPerUser = new HashMap<>();
        final CompletableFuture<Void> subscribed;

        Group(CompletableFuture<Void> subscribed) {
            this.subscribed = subscribed;
        }

        /** What joining changes, from this node's view alone. */
        MembershipChange add(MemberInfo member) {
            if (members.putIfAbsent(member.address(), member) != null || member.user() == null) {
                return new MembershipChange(false, count(member.user()));
            }
            int count = sessionsPerUser.merge(member.user(), 1, Integer::sum);
            return new MembershipChange(count == 1, count);
        }

        /** What leaving changes, from this node's view alone. */
        MembershipChange remove(MemberInfo member) {
            MemberInfo removed = members.remove(member.address());
            if (removed == null || removed.user() == null) {
                return new MembershipChange(false, count(member.user()));
            }
            int count = sessionsPerUser.merge(removed.user(), -1, Integer::sum);
            if (count <= 0) {
                sessionsPerUser.remove(removed.user());
            }
            return new MembershipChange(count <= 0, Math.max(count, 0));
        }

        private int count(String user) {
            return user == null ? 0 : sessionsPerUser.getOrDefault(user, 0);
        }
    }

    /** Records a session; returns how many sessions its user now has here (0 for an anonymous one). */
    int connected(MemberInfo member) {
        MemberInfo before = sessions.put(member.address(), member);
        if (before != null && before.user() != null) {
            sessionsPerUser.merge(before.user(), -1, Integer::sum);
        }
        if (member.user() != null) {
            sessionsPerUser.merge(member.user(), 1, Integer::sum);
        }
        return userSessions(member.user());
    }

    /** Forgets a session; returns how many sessions its user still has here (0 for an anonymous one). */
    int disconnected(MemberInfo member) {
        MemberInfo removed = sessions.remove(member.address());
        if (removed != null && removed.user() != null) {
            sessionsPerUser.merge(removed.user(), -1, Integer::sum);
        }
        return userSessions(member.user());
    }

    private int userSessions(String user) {
        if (user == null) {
            return 0;
        }
        int count = sessionsPerUser.getOrDefault(user, 0);
        if (count <= 0) {
            sessionsPerUser.remove(user);
        }
        return Math.max(count, 0);
    }

    Group group(String name) {
        return groups.get(name);
    }

    void addGroup(String name, Group group) {
        groups.put(name, group);
    }

    void removeGroup(String name) {
        groups.remove(name);
    }

    /** Whether a session of this node is in {@code group}. Any thread. */
    boolean hasMembers(String group) {
        return groups.containsKey(group);
    }

    /** Every group with a member on this node. */
    List<String> groupNames() {
        return List.copyOf(groups.keySet());
    }

    /** This node's members of {@code group}. */
    List<MemberInfo> members(String group) {
        Group found = groups.get(group);
        return found == null ? List.of() : List.copyOf(found.members.values());
    }

    /** This node's sessions, address to user ({@link #userField}), as Redis should hold them. */
    Map<byte[], byte[]> sessionFields() {
        Map<byte[], byte[]> fields = new LinkedHashMap<>();
        for (MemberInfo session : sessions.values()) {
            fields.put(Keys.bytes(session.address().value()), Keys.bytes(userField(session)));
        }
        return fields;
    }

    /** How many sessions each user has on this node. */
    Map<String, Integer> sessionsPerUser() {
        return Map.copyOf(sessionsPerUser);
    }

    /** This node's members of each group it has members in. */
    Map<String, List<MemberInfo>> memberships() {
        Map<String, List<MemberInfo>> out = new HashMap<>();
        groups.forEach((name, group) -> out.put(name, List.copyOf(group.members.values())));
        return out;
    }

    /**
     * Remembers that a presence write of {@code group} failed, so the next resync rewrites the group
     * even when neither Redis's nor this node's list of the node's groups names it any more (a failed
     * LEAVE of the node's last member). Any thread.
     */
    void markDirty(Collection<String> names) {
        dirty.addAll(names);
    }

    /** The groups marked dirty, which are then no longer marked ({@link #markDirty} them again if the rewrite fails). */
    Set<String> takeDirty() {
        Set<String> taken = Set.copyOf(dirty);
        dirty.removeAll(taken);
        return taken;
    }

    /** How presence stores a member's user: its name, or empty for an anonymous session. */
    static String userField(MemberInfo member) {
        return member.user() == null ? "" : member.user();
    }
}
