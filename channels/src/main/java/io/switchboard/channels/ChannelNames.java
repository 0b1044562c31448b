package io.switchboard.channels;

/**
 * Which channel names are accepted, and the engine's names for a channel: its group (the
 * subscribers) and its history stream. Names are printable ASCII so that a name in a log line, a
 * group or a Redis key means one thing.
 */
final class ChannelNames {

    /** Longest channel name, in characters (Centrifugo's default limit). */
    static final int MAX_LENGTH = 255;

    private static final String GROUP_PREFIX = "ch:";
    private static final String STREAM_PREFIX = "channel:";
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
        return GROUP_PREFIX + channel;
    }

    /** The channel of a subscriber group, or null for another group. */
    static String channelOfGroup(String group) {
        return group.startsWith(GROUP_PREFIX) ? group.substring(GROUP_PREFIX.length()) : null;
    }

    /** The history stream of the channel. */
    static String stream(String channel) {
        return STREAM_PREFIX + channel;
    }

    /** The group every connection of {@code user} ("" for anonymous ones) joins, for server-side commands. */
    static String userGroup(String user) {
        return USER_GROUP_PREFIX + user;
    }
}
