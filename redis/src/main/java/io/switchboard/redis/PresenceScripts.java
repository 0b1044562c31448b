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
import java.util.concurrent.CompletionStage;

/**
 * The {@link RedisEngine}'s calls into {@code presence-lib.lua}, one method a script, for one node:
 * each decides, atomically across nodes, what a connect, disconnect, join or leave changed, or
 * which nodes a user or address send must reach.
 *
 * <p>Thread-safe; the engine orders the calls that must keep their order.
 */
final class PresenceScripts {

    private static final Script JOIN = Script.load("presence-lib", "join", "join");
    private static final Script LEAVE = Script.load("presence-lib", "leave", "leave");
    private static final Script CONNECT = Script.load("presence-lib", "connect", "connect");
    private static final Script DISCONNECT = Script.load("presence-lib", "disconnect", "disconnect");
    private static final Script SEND_USER = Script.load("presence-lib", "send-user", "user");
    private static final Script SEND_TO = Script.load("presence-lib", "send-to", "address");

    private final RedisLink link;
    private final Keys keys;

    PresenceScripts(RedisLink link, Keys keys) {
        this.link = link;
        this.keys = keys;
    }

    CompletionStage<Long> connect(String node, MemberInfo member) {
        return CONNECT.run(
                link, ScriptOutputType.INTEGER, keys.prefix(), Keys.bytes(node), address(member), user(member));
    }

    CompletionStage<Long> disconnect(String node, MemberInfo member) {
        return DISCONNECT.run(link, ScriptOutputType.INTEGER, keys.prefix(), Keys.bytes(node), address(member));
    }

    /** Replies {whether the user joined, how many connections of the user are in the group}. */
    CompletionStage<List<Object>> join(String node, String group, MemberInfo member) {
        return membership(JOIN, node, group, member);
    }

    /** Replies {whether the user left, how many connections of the user are still in the group}. */
    CompletionStage<List<Object>> leave(String node, String group, MemberInfo member) {
        return membership(LEAVE, node, group, member);
    }

    private CompletionStage<List<Object>> membership(Script script, String node, String group, MemberInfo member) {
        return script.run(
                link,
                ScriptOutputType.MULTI,
                keys.prefix(),
                Keys.bytes(node),
                Keys.bytes(group),
                address(member),
                user(member));
    }

    /** Publishes {@code envelope} once to each other node with a session of {@code user}; replies how many it reached. */
    CompletionStage<Long> sendToUser(String node, String user, byte[] envelope) {
        return SEND_USER.run(
                link,
                ScriptOutputType.INTEGER,
                keys.prefix(),
                Keys.bytes(node),
                Keys.bytes(user),
                Keys.bytes(keys.nodeChannelPrefix()),
                envelope);
    }

    /** Publishes {@code envelope} to {@code address}'s node if the address is still there; replies 1 if so. */
    CompletionStage<Long> sendTo(Address address, byte[] envelope) {
        return SEND_TO.run(
                link,
                ScriptOutputType.INTEGER,
                keys.prefix(),
                Keys.bytes(address.node()),
                Keys.bytes(address.value()),
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

    private static byte[] address(MemberInfo member) {
        return Keys.bytes(member.address().value());
    }

    private static byte[] user(MemberInfo member) {
        return Keys.bytes(LocalState.userField(member));
    }
}
