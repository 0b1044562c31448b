/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import java.nio.charset.StandardCharsets;

/**
 * Names of every key and channel one deployment uses, under its prefix. Scripts declare the keys
 * they touch (KEYS) and are given these names; they never build a key name themselves.
 *
 * <h2>Redis Cluster</h2>
 *
 * <p>A {@code {...}} in a key is a hash tag: Redis Cluster places keys with the same tag in the same
 * slot, runs a script only when its declared keys share one slot, and delivers a sharded message
 * ({@code SPUBLISH}) only to the subscribers of the shard that owns its channel's slot. So every name
 * here is {@linkplain #tagged tagged}: a name (of a group, stream, queue, node or user) that carries a
 * hash tag of its own keeps it, so a stream {@code s:{room}} and a group {@code g:{room}} share a slot;
 * any other name is wrapped in braces whole. The layout:
 *
 * <ul>
 *   <li>a group G: {@code members:G} (address to user), {@code users:G} (user to how many of the
 *       user's sessions are members), {@code node-members:G:N} (the members on node N, address to
 *       user) and its channel {@code db<D>:group:G} — one slot, so a join, a leave and forgetting a
 *       node's members of G are each one script, and a broadcast crosses only G's shard;
 *   <li>a node N: {@code alive:N}, {@code node-groups:N} (the groups N may have members in, a
 *       superset: added before a join, removed when N's last member of the group left),
 *       {@code node-sessions:N} (address to user) and its channel {@code db<D>:node:N};
 *   <li>a user U: {@code user-nodes:U} (node to how many sessions U has open there);
 *   <li>a stream S: {@code history:S}, {@code history-top:S}, {@code history-birth:S};
 *   <li>a queue Q: {@code queue:Q};
 *   <li>untagged, each alone in whatever slot it hashes to: {@code nodes} (every registered node) and
 *       {@code epoch} (the history's epoch).
 * </ul>
 *
 * <p>Pub/sub channels are shared by every database of a Redis server, so channel names carry the
 * database number as well as the prefix. A prefix never contains a brace (see {@link RedisSettings}).
 */
final class Keys {

    private final String prefix;
    private final String channels;
    private final boolean sharded;

    /** Names under {@code prefix}; {@code sharded} for Redis Cluster (sharded pub/sub). */
    Keys(String prefix, int database, boolean sharded) {
        this.prefix = prefix;
        this.channels = prefix + "db" + database + ":";
        this.sharded = sharded;
    }

    /** Names for a standalone (or Sentinel-managed) Redis. */
    Keys(String prefix, int database) {
        this(prefix, database, false);
    }

    /** Whether messages travel over sharded pub/sub ({@code SSUBSCRIBE}/{@code SPUBLISH}): Redis Cluster. */
    boolean sharded() {
        return sharded;
    }

    /** The command scripts publish with: {@code SPUBLISH} on a cluster, {@code PUBLISH} otherwise. */
    byte[] publishCommand() {
        return bytes(sharded ? "SPUBLISH" : "PUBLISH");
    }

    /** The key prefix. */
    byte[] prefix() {
        return bytes(prefix);
    }

    // --- a group's keys and channel: one slot

    /** The hash of a group's members, address to user ({@code ''} for an anonymous session). */
    byte[] members(String group) {
        return key("members:", group);
    }

    /** The hash of a group's users, user to how many of the user's sessions are members. */
    byte[] users(String group) {
        return key("users:", group);
    }

    /** The hash of a group's members on {@code node}, address to user. */
    byte[] nodeMembers(String group, String node) {
        return bytes(prefix + "node-members:" + tagged(group) + ":" + node);
    }

    /** The channel a group's messages travel on; a node listens while it has members. */
    byte[] groupChannel(String group) {
        return bytes(channels + "group:" + tagged(group));
    }

    /** The group a channel belongs to, or {@code null} when it is not a group channel. */
    String groupOf(byte[] channel) {
        String name = new String(channel, StandardCharsets.UTF_8);
        String start = channels + "group:";
        return name.startsWith(start) ? untagged(name.substring(start.length())) : null;
    }

    // --- a node's keys and channel: one slot

    /** The key that exists while {@code node} keeps beating. */
    byte[] alive(String node) {
        return key("alive:", node);
    }

    /** The set of groups {@code node} may have members in. */
    byte[] nodeGroups(String node) {
        return key("node-groups:", node);
    }

    /** The hash of {@code node}'s open sessions, address to user. */
    byte[] nodeSessions(String node) {
        return key("node-sessions:", node);
    }

    /** The channel for messages to one node's sessions. */
    byte[] nodeChannel(String node) {
        return bytes(channels + "node:" + tagged(node));
    }

    // --- a user's key

    /** The hash of the nodes {@code user} has sessions on, node to how many. */
    byte[] userNodes(String user) {
        return key("user-nodes:", user);
    }

    // --- history: a stream's keys share a slot; a queue is one key

    byte[] history(String stream) {
        return key("history:", stream);
    }

    byte[] historyTop(String stream) {
        return key("history-top:", stream);
    }

    byte[] historyBirth(String stream) {
        return key("history-birth:", stream);
    }

    byte[] queue(String queue) {
        return key("queue:", queue);
    }

    // --- untagged keys

    /** The set of every node that registered and was not forgotten. */
    byte[] nodes() {
        return bytes(prefix + "nodes");
    }

    /** The history's epoch. */
    byte[] epoch() {
        return bytes(prefix + "epoch");
    }

    private byte[] key(String kind, String name) {
        return bytes(prefix + kind + tagged(name));
    }

    /**
     * {@code name} as it appears in key and channel names: {@code =name} when it carries a hash tag of
     * its own (a <code>{</code>, then a <code>}</code> with at least one character between), which then
     * decides its slot; otherwise <code>{name}</code>, so all of its keys share a slot, or, for a name
     * that is empty or starts with <code>}</code> (wrapped, its tag would be empty, which Redis ignores),
     * <code>~{~name}</code>. The first character tells the forms apart, so each reads back
     * unambiguously ({@link #untagged}).
     */
    static String tagged(String name) {
        if (hasTag(name)) {
            return "=" + name;
        }
        return name.isEmpty() || name.startsWith("}") ? "~{~" + name + "}" : "{" + name + "}";
    }

    /** The name {@link #tagged} made {@code text} from. */
    static String untagged(String text) {
        if (text.startsWith("=")) {
            return text.substring(1);
        }
        int start = text.startsWith("~") ? 3 : 1;
        return text.substring(start, text.length() - 1);
    }

    /** Whether Redis Cluster would hash {@code name} by a tag inside it rather than whole. */
    static boolean hasTag(String name) {
        int open = name.indexOf('{');
        if (open < 0) {
            return false;
        }
        int close = name.indexOf('}', open + 1);
        return close > open + 1;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(Object value) {
        return value instanceof byte[] data ? new String(data, StandardCharsets.UTF_8) : String.valueOf(value);
    }
}
