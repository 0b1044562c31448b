/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import java.nio.charset.StandardCharsets;

/**
 * Names of the channels one cluster uses, under its prefix. Keys are named inside the Lua scripts
 * (see {@code presence-lib.lua} and {@code history-lib.lua}). Pub/sub channels are shared by every
 * database of a Redis server, so channel names carry the database number as well as the prefix.
 *
 * <p>Key layout and Redis Cluster. A {@code {...}} in a key is a hash tag: Redis Cluster places keys
 * with the same tag in the same slot, and refuses one command (or one script's declared keys) that
 * spans slots. Today:
 *
 * <ul>
 *   <li>a history stream's keys share the stream's tag: {@code history:{S}}, {@code history-top:{S}},
 *       {@code history-birth:{S}} (one slot, so the scripts' DEL of all three is allowed);
 *   <li>{@code epoch}, {@code queue:Q} and every presence key ({@code members:G}, {@code users:G},
 *       {@code node-groups:N}, {@code node-sessions:N}, {@code user-nodes:U}, {@code alive:N},
 *       {@code nodes}) carry no tag yet, and the scripts build their names from ARGV instead of
 *       declaring them in KEYS.
 * </ul>
 *
 * <p>So a Redis in cluster mode that holds every slot (one primary) runs the engine and history;
 * several primaries do not yet: a script refuses a key of a slot another primary holds.
 */
final class Keys {

    private final String prefix;
    private final String channels;

    Keys(String prefix, int database) {
        this.prefix = prefix;
        this.channels = prefix + "db" + database + ":";
    }

    /** The key prefix, the first argument of every script. */
    byte[] prefix() {
        return bytes(prefix);
    }

    /** The hash of a group's members, address to user (see {@code presence-lib.lua}). */
    byte[] members(String group) {
        return bytes(prefix + "members:" + group);
    }

    /** The channel a group's messages travel on; a node listens while it has members. */
    byte[] groupChannel(String group) {
        return bytes(channels + "group:" + group);
    }

    /** The start of every node channel name (the scripts add the node id). */
    String nodeChannelPrefix() {
        return channels + "node:";
    }

    /** The channel for messages to one node's sessions. */
    byte[] nodeChannel(String node) {
        return bytes(nodeChannelPrefix() + node);
    }

    /** The group a channel belongs to, or {@code null} when it is not a group channel. */
    String groupOf(byte[] channel) {
        String name = new String(channel, StandardCharsets.UTF_8);
        String start = channels + "group:";
        return name.startsWith(start) ? name.substring(start.length()) : null;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(Object value) {
        return value instanceof byte[] data ? new String(data, StandardCharsets.UTF_8) : String.valueOf(value);
    }
}
