/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import io.switchboard.session.Groups;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Which channel names are accepted, and the engine's names for a channel: its group (the
 * subscribers) and its history stream. Names are printable ASCII so that a name in a log line, a
 * group or a Redis key means one thing.
 */
final class ChannelNames {

    /** Longest channel name, in characters: its groups' names must fit the engine's limit. */
    static final int MAX_LENGTH = Groups.MAX_NAME_LENGTH - 10;

    // A channel's group and stream carry the same Redis Cluster hash tag, {=CHANNEL}, so on a
    // cluster the stream's keys and the group's pub/sub channel share a slot (a publication is
    // stored and published by one script). The '=' keeps the tag non-empty for a channel that
    // starts with '}' (an empty tag would not count, and the two names would part).
    private static final String GROUP_PREFIX = "ch:{=";
    private static final String PRESENCE_PREFIX = "chp:";
    private static final String STREAM_PREFIX = "channel:{=";
    private static final String TAG_END = "}";
    private static final String USER_GROUP_PREFIX = "channels.user:";

    private ChannelNames() {}

    /** Whether {@code channel} is 1 to {@link #MAX_LENGTH} printable ASCII characters, no space. */
    static boolean valid(String channel) {
        if (channel == null || channel.isEmpty() || channel.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < channel.length(); i++) {
            char c = channel.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }

    /** {@code channel} checked: {@link ErrorCode#BAD_REQUEST} when it is not a valid name. */
    static String require(String channel) {
        if (!valid(channel)) {
            throw new ChannelsException(
                    ErrorCode.BAD_REQUEST, "a channel is 1 to " + MAX_LENGTH + " printable ASCII characters");
        }
        return channel;
    }

    /** The group whose members are the channel's subscribers. */
    static String group(String channel) {
        return GROUP_PREFIX + channel + TAG_END;
    }

    /**
     * The group that presence reads: the same subscribers, joined under the user their connection
     * token names (the framework's session has no user of its own: the protocol authenticates after
     * the handshake).
     */
    static String presenceGroup(String channel) {
        return PRESENCE_PREFIX + channel;
    }

    /** The channel of a subscriber group, or null for another group. */
    static String channelOfGroup(String group) {
        return group.startsWith(GROUP_PREFIX) && group.endsWith(TAG_END)
                ? group.substring(GROUP_PREFIX.length(), group.length() - TAG_END.length())
                : null;
    }

    /** The history stream of the channel. */
    static String stream(String channel) {
        return STREAM_PREFIX + channel + TAG_END;
    }

    /**
     * The group every connection of {@code user} ("" for anonymous ones) joins, for server-side
     * commands. A user name that is no valid group name (too long, not printable ASCII) is hashed,
     * and so is one that starts with {@code #}, so no user can name itself after another's hash.
     */
    static String userGroup(String user) {
        String group = USER_GROUP_PREFIX + user;
        if (group.length() <= Groups.MAX_NAME_LENGTH && !user.startsWith("#") && valid(user.isEmpty() ? "-" : user)) {
            return group;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(user.getBytes(StandardCharsets.UTF_8));
            return USER_GROUP_PREFIX + "#" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
