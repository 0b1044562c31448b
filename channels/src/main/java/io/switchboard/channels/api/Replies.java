/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.channels.ChannelsApi;
import io.switchboard.channels.ChannelsApi.ClientInfo;
import io.switchboard.channels.ChannelsApi.StreamPosition;
import io.switchboard.channels.ChannelsException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The reply bodies of the server API, in Centrifugo's shapes (snake case on the wire). */
final class Replies {

    private Replies() {}

    /** A whole reply: a result or an error, never both. */
    record Reply(Object result, Error error) {
        static Reply of(Object result) {
            return new Reply(result, null);
        }

        static Reply of(ChannelsException e) {
            return new Reply(null, new Error(e.code().code(), e.getMessage()));
        }
    }

    /** {@code {"code":107,"message":"bad request"}}. */
    record Error(int code, String message) {}

    /** What {@code subscribe}, {@code unsubscribe}, {@code disconnect} and {@code history_remove} return. */
    static final Map<String, Object> EMPTY = Map.of();

    /** {@code publish}'s result, and each of {@code broadcast}'s. */
    record Position(long offset, String epoch) {
        static Position of(StreamPosition position) {
            return new Position(position.offset(), position.epoch());
        }
    }

    /** {@code broadcast}: one reply per channel, in the order asked. */
    record Broadcast(List<Reply> responses) {}

    /** {@code presence}: by client id. */
    record Presence(Map<String, ClientInfo> presence) {}

    /** {@code presence_stats}. */
    record PresenceStats(int numClients, int numUsers) {}

    /** {@code history}: the publications and where the stream stands now. */
    record History(List<Publication> publications, long offset, String epoch) {
        static History of(ChannelsApi.HistoryPage page) {
            List<Publication> publications = page.publications().stream()
                    .map(p -> new Publication(p.data(), p.info(), p.offset(), p.tags()))
                    .toList();
            return new History(
                    publications, page.position().offset(), page.position().epoch());
        }
    }

    /** One publication of a history. */
    record Publication(
            JsonNode data,
            ClientInfo info,
            long offset,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> tags) {}

    /** {@code channels}: each channel's subscriber count. */
    record Channels(Map<String, ChannelInfo> channels) {
        static Channels of(Map<String, Integer> counts) {
            Map<String, ChannelInfo> channels = new LinkedHashMap<>();
            counts.forEach((name, count) -> channels.put(name, new ChannelInfo(count)));
            return new Channels(channels);
        }
    }

    /** One channel of {@code channels}. */
    record ChannelInfo(int numClients) {}

    /** {@code info}: every node. */
    record Info(List<Node> nodes) {
        static Info of(List<ChannelsApi.NodeInfo> nodes) {
            return new Info(nodes.stream().map(Node::of).toList());
        }
    }

    /** One node of {@code info}; its uptime in seconds. */
    record Node(
            String uid,
            String name,
            String version,
            int numClients,
            int numUsers,
            int numChannels,
            long uptime,
            int numSubs) {
        static Node of(ChannelsApi.NodeInfo node) {
            return new Node(
                    node.uid(),
                    node.name(),
                    node.version(),
                    node.numClients(),
                    node.numUsers(),
                    node.numChannels(),
                    node.uptime().toSeconds(),
                    node.numSubs());
        }
    }
}
