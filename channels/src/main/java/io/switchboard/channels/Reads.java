/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import io.switchboard.channels.ChannelsApi.ClientInfo;
import io.switchboard.channels.ChannelsApi.PresenceStats;
import io.switchboard.channels.ChannelsApi.StreamPosition;
import io.switchboard.engine.History;
import io.switchboard.session.Hub;
import io.switchboard.session.MemberInfo;
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
     * Publications as Centrifugo's history answers: without {@code since}, the oldest {@code limit}
     * kept (all when negative, none when 0) oldest first, or with {@code reverse} the newest newest
     * first; with {@code since}, those after it oldest first, or with {@code reverse} those before it
     * newest first. A {@code since} of another epoch is {@link ErrorCode#UNRECOVERABLE_POSITION}.
     */
    Page history(String channel, NamespaceOptions options, int limit, StreamPosition since, boolean reverse) {
        int most = limit < 0 ? options.historySize() : Math.min(limit, options.historySize());
        List<History.Entry> entries = most == 0 ? List.of() : entries(channel, since, reverse);
        if (reverse) {
            entries = entries.reversed();
        }
        StreamPosition position = Await.of(publications.top(channel));
        return new Page(List.copyOf(entries.subList(0, Math.min(most, entries.size()))), position);
    }

    /** The kept entries the request is about, oldest first. */
    private List<History.Entry> entries(String channel, StreamPosition since, boolean reverse) {
        History.Recovery kept = Await.of(publications.since(channel, 0));
        if (since == null) {
            return kept.entries();
        }
        boolean otherLife = since.epoch() != null
                && !since.epoch().isEmpty()
                && !since.epoch().equals(kept.epoch());
        if (kept.epoch().isEmpty()) { // the store is unreachable: nothing is known, try again
            throw new ChannelsException(ErrorCode.INTERNAL, "the history is unavailable");
        }
        if (otherLife) {
            throw new ChannelsException(ErrorCode.UNRECOVERABLE_POSITION);
        }
        return kept.entries().stream()
                .filter(entry -> reverse ? entry.id() < since.offset() : entry.id() > since.offset())
                .toList();
    }
}
