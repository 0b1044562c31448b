/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.switchboard.session.MemberInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A node's records in Redis as a whole: its heartbeat, forgetting it (a dead node reaped, a closing
 * one saying goodbye) and writing it back (resync). A node's records span many slots (its own keys,
 * each of its groups', each of its users'), so each is a series of single-slot calls; forgetting a
 * node's members of a group is one script on the group's slot, so when two nodes forget the same
 * node at once only one of them removes, and reports, each member.
 */
final class NodeRecords {

    private static final Script FORGET_REAP = Script.load("presence-lib", "forget", "reap");
    private static final Script FORGET_GOODBYE = Script.load("presence-lib", "forget", "goodbye");
    private static final Script FORGET_RESYNC = Script.load("presence-lib", "forget", "resync");

    /** What Redis held of a node before a resync: its groups and the users of its sessions. */
    record Written(Set<String> groups, Set<String> users) {}

    private final RedisLink link;
    private final Keys keys;

    NodeRecords(RedisLink link, Keys keys) {
        this.link = link;
        this.keys = keys;
    }

    /** Refreshes {@code node}'s alive key and registers it; replies whether Redis still knew the node. */
    CompletionStage<Boolean> beat(String node, long expiryMillis) {
        CompletionStage<String> alive = link.call(
                "heartbeat", redis -> redis.set(keys.alive(node), Keys.bytes("1"), SetArgs.Builder.px(expiryMillis)));
        CompletionStage<Long> added = link.call("heartbeat", redis -> redis.sadd(keys.nodes(), Keys.bytes(node)));
        return alive.thenCombine(added, (ok, count) -> count == 0L);
    }

    /** Forgets every registered node but {@code self} whose alive key expired; replies their departures. */
    CompletionStage<List<Object>> reap(String self) {
        return link.<Set<byte[]>>call("reap", redis -> redis.smembers(keys.nodes()))
                .thenCompose(nodes -> reapEach(self, nodes));
    }

    private CompletionStage<List<Object>> reapEach(String self, Set<byte[]> nodes) {
        CompletionStage<List<Object>> all = CompletableFuture.completedFuture(List.of());
        for (byte[] each : nodes) {
            String node = Keys.text(each);
            if (!node.equals(self)) {
                CompletionStage<List<Object>> removed = link.<Long>call("reap", redis -> redis.exists(keys.alive(node)))
                        .thenCompose(alive ->
                                alive == 0L ? forget(node, false) : CompletableFuture.completedFuture(List.of()))
                        .exceptionally(e -> List.of()); // the next beat tries again
                all = all.thenCombine(removed, NodeRecords::concat);
            }
        }
        return all;
    }

    /**
     * Forgets {@code node}: its members of each of its groups, its sessions, its registration; replies
     * the members removed. A reap keeps the alive key (expired anyway, or set again by a node that
     * came back, which then notices it was forgotten and writes itself back); a goodbye deletes it.
     * When a group could not be forgotten the node stays registered, so the next reap finishes it,
     * and the members removed are still replied, as each is removed only once.
     */
    CompletionStage<List<Object>> forget(String node, boolean goodbye) {
        String operation = goodbye ? "goodbye" : "reap";
        Script script = goodbye ? FORGET_GOODBYE : FORGET_REAP;
        return link.<Set<byte[]>>call(operation, redis -> redis.smembers(keys.nodeGroups(node)))
                .thenCompose(groups -> forgetMembers(script, node, groups))
                .thenCompose(removed -> removed.complete()
                        ? forgetSessions(operation, node)
                                .thenCompose(done -> unregister(operation, node, goodbye))
                                .handle((done, error) -> removed.members())
                        : CompletableFuture.completedFuture(removed.members()));
    }

    /** The members a forget removed, and whether it removed all of them. */
    private record Removed(List<Object> members, boolean complete) {

        Removed plus(Removed other) {
            return new Removed(concat(members, other.members), complete && other.complete);
        }
    }

    private CompletionStage<Removed> forgetMembers(Script script, String node, Set<byte[]> groups) {
        CompletionStage<Removed> all = CompletableFuture.completedFuture(new Removed(List.of(), true));
        for (byte[] each : groups) {
            String group = Keys.text(each);
            CompletionStage<Removed> removed = script.<List<Object>>run(
                            link, ScriptOutputType.MULTI, PresenceScripts.groupKeys(keys, group, node), each)
                    .handle((members, error) ->
                            error == null ? new Removed(members, true) : new Removed(List.of(), false));
            all = all.thenCombine(removed, Removed::plus);
        }
        return all;
    }

    private CompletionStage<Void> forgetSessions(String operation, String node) {
        return link.<List<byte[]>>call(operation, redis -> redis.hvals(keys.nodeSessions(node)))
                .thenCompose(users -> dropUsers(operation, node, texts(users)));
    }

    private CompletionStage<Void> dropUsers(String operation, String node, Collection<String> users) {
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (String user : users) {
            if (!user.isEmpty()) {
                calls.add(link.<Long>call(operation, redis -> redis.hdel(keys.userNodes(user), Keys.bytes(node)))
                        .toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
    }

    private CompletionStage<Void> unregister(String operation, String node, boolean goodbye) {
        CompletionStage<Long> own =
                link.call(operation, redis -> redis.del(keys.nodeGroups(node), keys.nodeSessions(node)));
        CompletionStage<Long> listed = link.call(operation, redis -> redis.srem(keys.nodes(), Keys.bytes(node)));
        CompletionStage<Long> alive = goodbye
                ? link.call(operation, redis -> redis.del(keys.alive(node)))
                : CompletableFuture.completedFuture(0L);
        return own.thenCombine(listed, (a, b) -> b).thenCombine(alive, (a, b) -> null);
    }

    /** What Redis holds of {@code node} now: its groups and its sessions' users. */
    CompletionStage<Written> read(String node) {
        CompletionStage<Set<byte[]>> groups = link.call("resync", redis -> redis.smembers(keys.nodeGroups(node)));
        CompletionStage<List<byte[]>> users = link.call("resync", redis -> redis.hvals(keys.nodeSessions(node)));
        return groups.thenCombine(users, (g, u) -> new Written(texts(g), texts(u)));
    }

    /**
     * Makes Redis hold exactly {@code local}'s sessions and memberships for {@code node}, replacing
     * {@code old}. The calls are sent at once, in one go (the caller holds the engine's lock, so they
     * come before any later join or leave of this node); the stage completes when all are answered.
     */
    CompletionStage<Void> rewrite(String node, Written old, LocalState local) {
        List<CompletableFuture<?>> calls = new ArrayList<>();
        calls.add(rewriteOwn(node, local.sessionFields(), local.memberships().keySet()));
        Map<String, Integer> perUser = local.sessionsPerUser();
        Set<String> users = new HashSet<>(old.users());
        users.addAll(perUser.keySet());
        users.remove("");
        for (String user : users) {
            calls.add(userOnNode(node, user, perUser.getOrDefault(user, 0)));
        }
        Map<String, List<MemberInfo>> memberships = local.memberships();
        Set<String> groups = new HashSet<>(old.groups());
        groups.addAll(memberships.keySet());
        for (String group : groups) {
            calls.add(rewriteGroup(node, group, memberships.getOrDefault(group, List.of())));
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<?> rewriteOwn(String node, Map<byte[], byte[]> sessions, Set<String> groups) {
        byte[] sessionsKey = keys.nodeSessions(node);
        byte[] groupsKey = keys.nodeGroups(node);
        List<CompletableFuture<?>> calls = new ArrayList<>();
        calls.add(link.<Long>call("resync", redis -> redis.del(sessionsKey, groupsKey))
                .toCompletableFuture());
        if (!sessions.isEmpty()) {
            calls.add(link.<Long>call("resync", redis -> redis.hset(sessionsKey, sessions))
                    .toCompletableFuture());
        }
        if (!groups.isEmpty()) {
            byte[][] names = groups.stream().map(Keys::bytes).toArray(byte[][]::new);
            calls.add(link.<Long>call("resync", redis -> redis.sadd(groupsKey, names))
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<?> userOnNode(String node, String user, int sessions) {
        byte[] key = keys.userNodes(user);
        byte[] field = Keys.bytes(node);
        CompletionStage<?> call = sessions > 0
                ? link.<Boolean>call("resync", redis -> redis.hset(key, field, Keys.bytes(String.valueOf(sessions))))
                : link.<Long>call("resync", redis -> redis.hdel(key, field));
        return call.toCompletableFuture();
    }

    private CompletableFuture<?> rewriteGroup(String node, String group, List<MemberInfo> members) {
        List<byte[]> args = new ArrayList<>();
        args.add(Keys.bytes(group));
        for (MemberInfo member : members) {
            args.add(Keys.bytes(member.address().value()));
            args.add(Keys.bytes(LocalState.userField(member)));
        }
        return FORGET_RESYNC
                .run(
                        link,
                        ScriptOutputType.MULTI,
                        PresenceScripts.groupKeys(keys, group, node),
                        args.toArray(byte[][]::new))
                .toCompletableFuture();
    }

    private static Set<String> texts(Collection<byte[]> values) {
        Set<String> out = new HashSet<>();
        values.forEach(value -> out.add(Keys.text(value)));
        return out;
    }

    private static List<Object> concat(List<Object> first, List<Object> second) {
        if (second.isEmpty()) {
            return first;
        }
        List<Object> out = new ArrayList<>(first);
        out.addAll(second);
        return out;
    }
}
