package io.switchboard.channels;

import io.switchboard.channels.ChannelsApi.ClientInfo;
import io.switchboard.channels.ChannelsApi.PresenceStats;
import io.switchboard.channels.ChannelsApi.StreamPosition;
import io.switchboard.engine.History;
import io.switchboard.session.Hub;
import io.switchboard.session.MemberInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a client's and the server API's {@code presence}, {@code presence_stats} and {@code history}
 * read, on the connection's virtual thread or the API's. Presence is the engine's members of the
 * channel's presence group on every node: a client id and a user, without {@code conn_info} or
 * {@code chan_info} (the engine keeps no more per member).
 */
final class Reads {

    private final Publications publications;

    Reads(Publications publications) {
        this.publications = publications;
    }

    /** The channel's subscribers on every node, by client id. */
    static Map<String, ClientInfo> presence(Hub hub, String channel) {
        Map<String, ClientInfo> found = new LinkedHashMap<>();
        for (MemberInfo member : Await.of(hub.members(ChannelNames.presenceGroup(channel)))) {
            String client = member.address().value();
            found.put(client, new ClientInfo(client, member.user() == null ? "" : member.user(), null, null));
        }
        return found;
    }

    /** How many connections and distinct users are subscribed. */
    static PresenceStats presenceStats(Hub hub, String channel) {
        List<MemberInfo> members = Await.of(hub.members(ChannelNames.presenceGroup(channel)));
        Set<String> users = new HashSet<>();
        members.forEach(member -> users.add(member.user() == null ? "" : member.user()));
        return new PresenceStats(members.size(), users.size());
    }

    /**
     * Stored publications and the stream's position.
     *
     * @param entries the publication frames, in the order asked
     * @param position where the stream stands
     */
    record Page(List<History.Entry> entries, StreamPosition position) {}

    /**
     * The newest {@code limit} publications (all kept when negative), or those after {@code since}
     * (at most {@code limit}); newest first when {@code reverse}. A {@code since} of another epoch is
     * {@link ErrorCode#UNRECOVERABLE_POSITION}.
     */
    Page history(String channel, NamespaceOptions options, int limit, StreamPosition since, boolean reverse) {
        int most = limit < 0 ? options.historySize() : Math.min(limit, options.historySize());
        List<History.Entry> entries = since == null ? newest(channel, most) : after(channel, since, most, reverse);
        StreamPosition position = Await.of(publications.top(channel));
        if (reverse) {
            entries = new ArrayList<>(entries).reversed();
        }
        return new Page(List.copyOf(entries), position);
    }

    private List<History.Entry> newest(String channel, int most) {
        return most == 0 ? List.of() : Await.of(publications.latest(channel, most));
    }

    private List<History.Entry> after(String channel, StreamPosition since, int most, boolean reverse) {
        History.Recovery found = Await.of(publications.since(channel, since.offset()));
        boolean otherLife = since.epoch() != null
                && !since.epoch().isEmpty()
                && !since.epoch().equals(found.epoch());
        if (found.epoch().isEmpty() || otherLife) {
            throw new ChannelsException(ErrorCode.UNRECOVERABLE_POSITION);
        }
        List<History.Entry> entries = found.entries();
        int count = Math.min(most, entries.size());
        return reverse ? entries.subList(entries.size() - count, entries.size()) : entries.subList(0, count);
    }
}
