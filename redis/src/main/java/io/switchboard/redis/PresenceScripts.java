/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.lettuce.core.ScriptOutputType;
import io.switchboard.session.Address;
import io.switchboard.session.MemberInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@link RedisEngine}'s presence calls for one node. Each touches the keys of one slot only, so
 * they work on a Redis Cluster with several primaries: a join or leave is a script on the group's
 * slot (deciding atomically across nodes what it changed for the user), the bookkeeping of which
 * groups and sessions a node has is a plain command on the node's slot, and a user's nodes live on
 * the user's slot.
 *
 * <p>Thread-safe. A group's joins and leaves run one after the other ({@link GroupOrder}), as each
 * may be two calls to two primaries; the engine orders the other calls that must keep their order
 * (commands on one slot keep the order they were sent in).
 */
final class PresenceScripts {

    private static final Script JOIN = Script.load("presence-lib", "join", "join");
    private static final Script LEAVE = Script.load("presence-lib", "leave", "leave");
    private static final Script SEND_TO = Script.load("presence-lib", "send-to", "address");

    private final RedisLink link;
    private final Keys keys;
    private final GroupOrder order = new GroupOrder();

    PresenceScripts(RedisLink link, Keys keys) {
        this.link = link;
        this.keys = keys;
    }

    /** The groups whose join or leave has not settled yet. */
    Set<String> inFlight() {
        return order.inFlight();
    }

    /** Records a session; {@code userSessions} is how many the member's user now has on this node. */
    CompletionStage<Void> connect(String node, MemberInfo member, int userSessions) {
        CompletionStage<Boolean> session =
                link.call("connect", redis -> redis.hset(keys.nodeSessions(node), address(member), user(member)));
        return both(session, userOnNode("connect", node, member, userSessions));
    }

    /** Forgets a session; {@code userSessions} is how many the member's user still has on this node. */
    CompletionStage<Void> disconnect(String node, MemberInfo member, int userSessions) {
        CompletionStage<Long> session =
                link.call("disconnect", redis -> redis.hdel(keys.nodeSessions(node), address(member)));
        return both(session, userOnNode("disconnect", node, member, userSessions));
    }

    /** Mirrors this node's count of the user's sessions (an absolute value, so a repeat is harmless). */
    private CompletionStage<?> userOnNode(String operation, String node, MemberInfo member, int userSessions) {
        if (member.user() == null) {
            return CompletableFuture.completedFuture(null);
        }
        byte[] key = keys.userNodes(member.user());
        byte[] field = Keys.bytes(node);
        return userSessions > 0
                ? link.call(operation, redis -> redis.hset(key, field, Keys.bytes(String.valueOf(userSessions))))
                : link.call(operation, redis -> redis.hdel(key, field));
    }

    /**
     * Replies {whether the user joined, how many connections of the user are in the group}. When the
     * member is this node's first in the group, the JOIN script is sent only once the group is in the
     * node's groups, so a node that dies is never a member of a group its reaper does not know of (on
     * a cluster the two are on different primaries, where only waiting keeps them in order).
     */
    CompletionStage<List<Object>> join(String node, String group, MemberInfo member, boolean firstHere) {
        return order.after(group, () -> {
            if (!firstHere) {
                return membership(JOIN, node, group, member);
            }
            return link.<Long>call("join", redis -> redis.sadd(keys.nodeGroups(node), Keys.bytes(group)))
                    .thenCompose(listed -> membership(JOIN, node, group, member));
        });
    }

    /**
     * Replies {whether the user left, how many connections of the user are still in the group}. When
     * it was this node's last member of the group, the group leaves the node's groups only once the
     * LEAVE script succeeded: a failed LEAVE leaves the group listed, so a reaper still visits it. A
     * failed removal from the node's groups is no error (a stale entry costs a reaper one empty script).
     */
    CompletionStage<List<Object>> leave(String node, String group, MemberInfo member, boolean lastHere) {
        return order.after(group, () -> membership(LEAVE, node, group, member)
                .thenCompose(reply -> lastHere
                        ? link.<Long>call("leave", redis -> redis.srem(keys.nodeGroups(node), Keys.bytes(group)))
                                .handle((unlisted, error) -> reply)
                        : CompletableFuture.completedFuture(reply)));
    }

    private CompletionStage<List<Object>> membership(Script script, String node, String group, MemberInfo member) {
        return script.run(link, ScriptOutputType.MULTI, groupKeys(keys, group, node), address(member), user(member));
    }

    /** The keys of a group script: the group's members and users, and its members on {@code node}. */
    static byte[][] groupKeys(Keys keys, String group, String node) {
        return new byte[][] {keys.members(group), keys.users(group), keys.nodeMembers(group, node)};
    }

    /** Publishes {@code envelope} once to each other node with a session of {@code user}; replies how many it reached. */
    CompletionStage<Long> sendToUser(String node, String user, byte[] envelope) {
        return link.<Map<byte[], byte[]>>call("user", redis -> redis.hgetall(keys.userNodes(user)))
                .thenCompose(nodes -> publishToNodes(node, nodes, envelope));
    }

    private CompletionStage<Long> publishToNodes(String self, Map<byte[], byte[]> nodes, byte[] envelope) {
        CompletionStage<Long> reached = CompletableFuture.completedFuture(0L);
        for (Map.Entry<byte[], byte[]> each : nodes.entrySet()) {
            String node = Keys.text(each.getKey());
            long sessions = Long.parseLong(Keys.text(each.getValue()));
            if (!node.equals(self) && sessions > 0) {
                CompletionStage<Long> heard = publish(keys.nodeChannel(node), envelope);
                reached = reached.thenCombine(heard, (sum, listeners) -> listeners > 0 ? sum + sessions : sum);
            }
        }
        return reached;
    }

    private CompletionStage<Long> publish(byte[] channel, byte[] message) {
        return link.call(
                "user", redis -> keys.sharded() ? redis.spublish(channel, message) : redis.publish(channel, message));
    }

    /** Publishes {@code envelope} to {@code address}'s node if the address is still there; replies 1 if so. */
    CompletionStage<Long> sendTo(Address address, byte[] envelope) {
        return SEND_TO.run(
                link,
                ScriptOutputType.INTEGER,
                new byte[][] {keys.nodeSessions(address.node())},
                Keys.bytes(address.value()),
                keys.publishCommand(),
                keys.nodeChannel(address.node()),
                envelope);
    }

    /** The members of {@code group} on every node, as Redis knows them. */
    CompletionStage<List<MemberInfo>> members(String group) {
        return link.<Map<byte[], byte[]>>call("presence", redis -> redis.hgetall(keys.members(group)))
                .thenApply(PresenceScripts::toMembers);
    }

    private static List<MemberInfo> toMembers(Map<byte[], byte[]> found) {
        List<MemberInfo> members = new ArrayList<>(found.size());
        found.forEach((address, user) -> {
            String name = Keys.text(user);
            members.add(new MemberInfo(new Address(Keys.text(address)), name.isEmpty() ? null : name));
        });
        return List.copyOf(members);
    }

    private static CompletionStage<Void> both(CompletionStage<?> first, CompletionStage<?> second) {
        return first.thenCombine(second, (a, b) -> null);
    }

    private static byte[] address(MemberInfo member) {
        return Keys.bytes(member.address().value());
    }

    private static byte[] user(MemberInfo member) {
        return Keys.bytes(LocalState.userField(member));
    }
}
