/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.channels.ChannelsApi.ClientInfo;
import io.switchboard.channels.ChannelsApi.StreamPosition;
import io.switchboard.engine.History;
import io.switchboard.json.Json;
import io.switchboard.session.Hub;
import io.switchboard.session.Message;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where every publication goes out, whoever made it (a client or the server API): {@link
 * #deliver} is the one place that broadcasts one. A kept publication is one history entry whose
 * payload is its push frame, appended and broadcast once to the channel's group (encoded once,
 * no handler per subscriber); one not kept is broadcast as is.
 *
 * <p>A subscriber never loses a publication made while it subscribes, on this node or another: it
 * joins the channel's group holding the group's broadcasts to it ({@code Session.joinHeld}), reads
 * the stream, and releases them after its reply, keeping only those with an offset above the
 * reply's (older ones are in the reply or before its position). The client would drop a
 * publication that reached it before the reply; none can. The order of a channel's publications is
 * the history's: {@link History#appendAndBroadcast} broadcasts its entries in id order on every node.
 */
final class Publications {

    private final History history;

    Publications(History history) {
        this.history = history;
    }

    /**
     * Delivers a publication to every subscriber of {@code channel} on every node, and keeps it in
     * the channel's history (for the namespace's {@code history-ttl}) unless the namespace keeps
     * none or {@code skipHistory}. In a namespace with a conflation key, a publication that has the
     * key is a latest value: a subscriber that is backed up gets only the newest one per key (the
     * channel and the key's value), with the number it missed in its {@code conflated} tag. The one
     * place a publication is broadcast.
     *
     * @return where it landed in the stream (offset 0 and no epoch when not kept)
     */
    CompletionStage<StreamPosition> deliver(
            Hub hub,
            String channel,
            NamespaceOptions options,
            boolean skipHistory,
            JsonNode data,
            ClientInfo info,
            Map<String, String> tags) {
        String group = ChannelNames.group(channel);
        String key = conflationKey(channel, options.conflation(), data, tags);
        String json = Json.write(data);
        if (skipHistory || !options.keepsHistory()) {
            Message frame = Message.text(Wire.unkeptPublication(channel, json, info, tags));
            if (key == null) {
                hub.broadcast(group, frame);
            } else {
                hub.broadcastLatest(group, key, frame);
            }
            return CompletableFuture.completedFuture(new StreamPosition(0, ""));
        }
        History.Template frame = Wire.publication(channel, json, info, tags);
        History.Keep keep = new History.Keep(options.historySize(), options.historyTtl());
        return history.appendAndBroadcast(ChannelNames.stream(channel), frame, keep, hub, group, key)
                .thenApply(entry -> new StreamPosition(entry.id(), Wire.epochOf(entry.payload())));
    }

    /**
     * The conflation key of a publication: its channel and the value of the namespace's key field
     * (a top-level field of the data) or tag; null when the namespace does not conflate or the
     * publication lacks the key, so it is delivered like any other.
     */
    static String conflationKey(
            String channel, NamespaceOptions.ConflationKey conflation, JsonNode data, Map<String, String> tags) {
        if (conflation == null) {
            return null;
        }
        String value;
        if (conflation.tag()) {
            value = tags.get(conflation.name());
        } else {
            JsonNode field = data.get(conflation.name());
            value = field == null || field.isContainerNode() || field.isNull() ? null : field.asText();
        }
        return value == null ? null : channel + '\n' + value;
    }

    /** Where {@code channel}'s stream stands: its newest offset (0 when empty) and epoch. */
    CompletionStage<StreamPosition> top(String channel) {
        String stream = ChannelNames.stream(channel);
        return history.latest(stream, 1)
                .thenCompose(newest -> newest.isEmpty()
                        ? history.since(stream, 0).thenApply(recovery -> new StreamPosition(0, recovery.epoch()))
                        : CompletableFuture.completedFuture(position(newest.getFirst())));
    }

    /** The kept publications of {@code channel} after {@code offset}, as {@link History#since} says. */
    CompletionStage<History.Recovery> since(String channel, long offset) {
        return history.since(ChannelNames.stream(channel), offset);
    }

    /** Forgets {@code channel}'s history: its next publication begins a new stream epoch at offset 1. */
    CompletionStage<Void> remove(String channel) {
        return history.remove(ChannelNames.stream(channel));
    }

    /** The newest {@code count} publications of {@code channel}, oldest first. */
    CompletionStage<List<History.Entry>> latest(String channel, int count) {
        return history.latest(ChannelNames.stream(channel), count);
    }

    /** The position of a stored publication. */
    static StreamPosition position(History.Entry entry) {
        return new StreamPosition(entry.id(), Wire.epochOf(entry.payload()));
    }
}
