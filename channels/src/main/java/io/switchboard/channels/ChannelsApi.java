/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * What a backend may do with channels, on every node at once: the operations of Centrifugo's server
 * API, as Java. {@code POST /api/<method>} is this interface over HTTP; Java code that embeds
 * Switchboard calls it directly. A failure completes the stage with a {@link ChannelsException}
 * carrying the protocol's error code (unknown channel, bad request, not available...).
 */
public interface ChannelsApi {

    /** Publishes {@code data} to {@code channel}: kept in its history (if the namespace keeps one) and delivered to its subscribers. */
    CompletionStage<StreamPosition> publish(Publish publish);

    /** Publishes the same data to each channel; one result per channel, in order, each a position or an error. */
    CompletionStage<List<Result<StreamPosition>>> broadcast(List<String> channels, Publish publish);

    /** Subscribes every connection of {@code user} (or only the one with id {@code client}, if given) to {@code channel}, server-side. */
    CompletionStage<Void> subscribe(String user, String channel, String client);

    /** Unsubscribes every connection of {@code user} (or only {@code client}, if given) from {@code channel}. */
    CompletionStage<Void> unsubscribe(String user, String channel, String client);

    /** Disconnects every connection of {@code user} (or only {@code client}, if given) with {@code disconnect}. */
    CompletionStage<Void> disconnect(String user, String client, Disconnect disconnect);

    /** Who is subscribed to {@code channel} now, by client id. */
    CompletionStage<Map<String, ClientInfo>> presence(String channel);

    /** How many connections and distinct users are subscribed to {@code channel}. */
    CompletionStage<PresenceStats> presenceStats(String channel);

    /**
     * Publications of {@code channel} and the stream's position now, as Centrifugo answers: without
     * {@code since}, the oldest {@code limit} kept, oldest first, or with {@code reverse} the newest,
     * newest first; with {@code since}, those after it (with {@code reverse}: before it, newest
     * first). A {@code limit} of 0 returns no publication, only the position; a negative one, all
     * kept. A {@code since} of another epoch is {@link ErrorCode#UNRECOVERABLE_POSITION}.
     */
    CompletionStage<HistoryPage> history(String channel, int limit, StreamPosition since, boolean reverse);

    /** Forgets the history of {@code channel}. */
    CompletionStage<Void> historyRemove(String channel);

    /** Channels with at least one subscriber whose name matches {@code pattern} ({@code *} any run of characters; null or empty: all), with their subscriber counts. */
    CompletionStage<Map<String, Integer>> channels(String pattern);

    /** The nodes serving these channels. */
    CompletionStage<List<NodeInfo>> info();

    /**
     * A publication to make.
     *
     * @param channel where
     * @param data the payload: any JSON value
     * @param tags string pairs delivered with it (may be empty)
     * @param skipHistory deliver without keeping it in the history
     */
    record Publish(String channel, JsonNode data, Map<String, String> tags, boolean skipHistory) {
        public Publish {
            tags = tags == null ? Map.of() : Map.copyOf(tags);
        }
    }

    /**
     * A place in a channel's stream: the offset of its newest publication and the epoch that names
     * this life of the stream (a position under another epoch means nothing now).
     */
    record StreamPosition(long offset, String epoch) {}

    /**
     * A publication as kept and delivered.
     *
     * @param offset its place in the channel's stream (0 when not kept)
     * @param data the payload
     * @param info who published it, when a client did (null otherwise)
     * @param tags string pairs (may be empty)
     */
    record Publication(long offset, JsonNode data, ClientInfo info, Map<String, String> tags) {
        public Publication {
            tags = tags == null ? Map.of() : Map.copyOf(tags);
        }
    }

    /**
     * A connection as others see it.
     *
     * @param client the connection's id
     * @param user the user it is authenticated as ("" when anonymous)
     * @param connInfo what its connection token said in {@code info} (null when none)
     * @param chanInfo what its subscription token said in {@code info} (null when none)
     */
    record ClientInfo(String client, String user, JsonNode connInfo, JsonNode chanInfo) {}

    /** Subscriber counts of one channel. */
    record PresenceStats(int numClients, int numUsers) {}

    /** Publications and where the stream stands now. */
    record HistoryPage(List<Publication> publications, StreamPosition position) {
        public HistoryPage {
            publications = List.copyOf(publications);
        }
    }

    /** Why a connection is closed, and whether its client should come back. */
    record Disconnect(int code, String reason) {}

    /**
     * One node.
     *
     * @param uid its id
     * @param name its name
     * @param version Switchboard's version
     * @param numClients open client connections
     * @param numUsers distinct users among them
     * @param numChannels channels with a subscriber here
     * @param numSubs subscriptions
     * @param uptime since it started
     */
    record NodeInfo(
            String uid,
            String name,
            String version,
            int numClients,
            int numUsers,
            int numChannels,
            int numSubs,
            Duration uptime) {}

    /** A value or, in its place, the error that kept it from being made. */
    record Result<T>(T value, ChannelsException error) {}
}
