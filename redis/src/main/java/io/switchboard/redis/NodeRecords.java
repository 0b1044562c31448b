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
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A node's records in Redis as a whole: its heartbeat, forgetting it (a dead node reaped, a closing
 * one saying goodbye) and writing it back (resync). A node's records span many slots (its own keys,
 * each of its groups', each of its users'), so each is a series of single-slot calls. One node reaps
 * a dead node (it claims the reap with a key on the node's slot), but should two forget the same
 * node at once (a claim expired, a goodbye meets a reap) each member is still removed, and reported,
 * once: forgetting a node's members of a group is one script on the group's slot.
 */
final class NodeRecords {

    private static final Script FORGET_REAP = Script.load("presence-lib", "forget", "reap");
    private static final Script FORGET_GOODBYE = Script.load("presence-lib", "forget", "goodbye");
    private static final Script FORGET_RESYNC = Script.load("presence-lib", "forget", "resync");

    /** What Redis held of a node before a resync: its groups and the users of its sessions. */
    record Written(Set<String> groups, Set<String> users) {}

    /** How many groups' forget scripts are in flight at most. */
    static final int IN_FLIGHT = 64;

    private final RedisLink link;
    private final Keys keys;

    NodeRecords(RedisLink link, Keys keys) {
        this.link = link;
        this.keys = keys;
    }

    /**
     * Refreshes {@code node}'s alive key and then registers it; replies whether Redis still knew the
     * node. The key comes first, so a reaper that finds the node registered also finds it alive.
     */
    CompletionStage<Boolean> beat(String node, long expiryMillis) {
        return link.<String>call(
                        "heartbeat",
                        redis -> redis.set(keys.alive(node), Keys.bytes("1"), SetArgs.Builder.px(expiryMillis)))
                .thenCompose(ok -> link.<Long>call("heartbeat", redis -> redis.sadd(keys.nodes(), Keys.bytes(node))))
                .thenApply(added -> added == 0L);
    }

    /**
     * Forgets every registered node but {@code self} whose alive key expired and that no other node
     * is reaping (a claim that expires after {@code claimMillis}, so a reaper that dies is taken over);
     * replies their departures.
     */
    CompletionStage<List<Object>> reap(String self, long claimMillis) {
        return link.<Set<byte[]>>call("reap", redis -> redis.smembers(keys.nodes()))
                .thenCompose(nodes -> reapEach(self, nodes, claimMillis));
    }

    private CompletionStage<List<Object>> reapEach(String self, Set<byte[]> nodes, long claimMillis) {
        List<Object> removed = new ArrayList<>();
        Consumer<List<Object>> sink = members -> {
            synchronized (removed) {
                removed.addAll(members);
            }
        };
        List<CompletableFuture<?>> reaps = new ArrayList<>();
        for (byte[] each : nodes) {
            String node = Keys.text(each);
            if (!node.equals(self)) {
                reaps.add(reapOne(node, claimMillis, sink));
            }
        }
        return CompletableFuture.allOf(reaps.toArray(CompletableFuture[]::new)).thenApply(done -> {
            synchronized (removed) {
                return List.copyOf(removed);
            }
        });
    }

    private CompletableFuture<?> reapOne(String node, long claimMillis, Consumer<List<Object>> sink) {
        return link.<Long>call("reap", redis -> redis.exists(keys.alive(node)))
                .thenCompose(alive -> alive == 0L ? claim(node, claimMillis) : CompletableFuture.completedFuture(false))
                .thenCompose(claimed ->
                        claimed ? forget(node, false, sink, () -> false) : CompletableFuture.completedFuture(false))
                .exceptionally(e -> false) // the next beat tries again
                .toCompletableFuture();
    }

    /** Claims the reap of {@code node} for this node; replies whether it got it. */
    private CompletionStage<Boolean> claim(String node, long claimMillis) {
        return link.<String>call(
                        "reap",
                        redis -> redis.set(
                                reaping(node),
                                Keys.bytes("1"),
                                SetArgs.Builder.nx().px(claimMillis)))
                .thenApply("OK"::equals);
    }

    /** The claim of a node's reaper: a key of the node's slot, deleted with the node's other keys. */
    private byte[] reaping(String node) {
        return Keys.bytes(Keys.text(keys.prefix()) + "reaping:" + Keys.tagged(node));
    }

    /**
     * Forgets {@code node}: its members of each of its groups (handing each group's removed members
     * to {@code removed} as the group's script answers, on any thread), its sessions, its
     * registration; replies whether it forgot all. Groups are forgotten {@value #IN_FLIGHT} at a time,
     * and none is started once {@code stopped}. A reap keeps the alive key, and when it finds the
     * node alive again once its groups are forgotten (it came back meanwhile) it only unregisters it,
     * so the node notices and writes itself back; a goodbye deletes it. When a group could not be
     * forgotten the node stays registered, so the next reap finishes it; each member is removed, and
     * handed over, only once.
     */
    CompletionStage<Boolean> forget(
            String node, boolean goodbye, Consumer<List<Object>> removed, BooleanSupplier stopped) {
        String operation = goodbye ? "goodbye" : "reap";
        Script script = goodbye ? FORGET_GOODBYE : FORGET_REAP;
        return link.<Set<byte[]>>call(operation, redis -> redis.smembers(keys.nodeGroups(node)))
                .thenCompose(groups -> BoundedCalls.run(
                        groups,
                        IN_FLIGHT,
                        group -> script.<List<Object>>run(
                                        link,
                                        ScriptOutputType.MULTI,
                                        PresenceScripts.groupKeys(keys, Keys.text(group), node),
                                        group)
                                .thenAccept(removed),
                        stopped))
                .thenCompose(complete ->
                        complete ? afterMembers(operation, node, goodbye) : CompletableFuture.completedFuture(false));
    }

    private CompletionStage<Boolean> afterMembers(String operation, String node, boolean goodbye) {
        if (goodbye) {
            return forgetSessions(operation, node).thenCompose(done -> unregister(operation, node, true));
        }
        return link.<Long>call(operation, redis -> redis.exists(keys.alive(node)))
                .thenCompose(alive -> alive == 0L
                        ? forgetSessions(operation, node).thenCompose(done -> unregister(operation, node, false))
                        : link.<Long>call(operation, redis -> redis.srem(keys.nodes(), Keys.bytes(node)))
                                .thenApply(unlisted -> false));
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

    private CompletionStage<Boolean> unregister(String operation, String node, boolean goodbye) {
        CompletionStage<Long> own = link.call(
                operation,
                redis -> goodbye
                        ? redis.del(keys.nodeGroups(node), keys.nodeSessions(node), reaping(node), keys.alive(node))
                        : redis.del(keys.nodeGroups(node), keys.nodeSessions(node), reaping(node)));
        CompletionStage<Long> listed = link.call(operation, redis -> redis.srem(keys.nodes(), Keys.bytes(node)));
        return own.thenCombine(listed, (a, b) -> true);
    }

    /** What Redis holds of {@code node} now: its groups and its sessions' users. */
    CompletionStage<Written> read(String node) {
        CompletionStage<Set<byte[]>> groups = link.call("resync", redis -> redis.smembers(keys.nodeGroups(node)));
        CompletionStage<List<byte[]>> users = link.call("resync", redis -> redis.hvals(keys.nodeSessions(node)));
        return groups.thenCombine(users, (g, u) -> new Written(texts(g), texts(u)));
    }

    /**
     * Makes Redis hold exactly {@code local}'s sessions and memberships for {@code node}, replacing
     * {@code old}; the {@code dirty} groups (whose writes failed) are rewritten too. The calls are sent at once, in one go (the caller holds the engine's lock, so they
     * come before any later join or leave of this node); the stage completes when all are answered.
     */
    CompletionStage<Void> rewrite(String node, Written old, LocalState local, Set<String> dirty) {
        List<CompletableFuture<?>> calls = new ArrayList<>();
        // A dirty group stays listed until a later resync, so a reaper visits it if its rewrite fails.
        Set<String> listed = new HashSet<>(local.memberships().keySet());
        listed.addAll(dirty);
        calls.add(rewriteOwn(node, local.sessionFields(), listed));
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
        groups.addAll(dirty);
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
}
